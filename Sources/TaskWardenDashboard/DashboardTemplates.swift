import Mustache

/// The dashboard's Mustache templates, compiled into the binary as string constants.
///
/// Kept in Swift rather than as resource files so that the one `taskwarden` binary serves every
/// page wherever it is copied and whatever the working directory. Every value goes through
/// `{{name}}`, which HTML-escapes it (`<`, `>`, `&`, `"`, `'`); run data is untrusted, so no
/// template uses the unescaped forms `{{{name}}}` or `{{&name}}` (a test checks), and pages
/// fill the layout by inheritance (`{{<layout}}`), never by pasting rendered HTML.
enum DashboardTemplates {
    /// Every template by name, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            // The templates are constants of this file: one that does not parse is a bug the
            // tests catch, not an input error.
            guard let template = try? MustacheTemplate(string: text) else { fatalError("dashboard template \(name) does not parse") }
            library.register(template, named: name)
        }
        return library
    }()

    static let sources: [(name: String, text: String)] = [
        ("layout", layout), ("login", login), ("overview", overview), ("stuck", stuck), ("runs", runs), ("run", run),
        ("journal", journal), ("error", error), ("chart", chart), ("journal_rows", journalRows), ("change", change), ("retention", retention), ("operation", operation),
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{$title}}TaskWarden{{/title}} · TaskWarden</title>
        <link rel="stylesheet" href="/ui/static/dashboard.css">
        <link rel="icon" href="/ui/static/icon.svg" type="image/svg+xml">
        <script src="/ui/static/dashboard.js" defer></script>
        </head>
        <body>
        <header>
        <a class="brand" href="/ui/">TaskWarden</a>
        {{#chrome}}{{#signedIn}}
        <nav aria-label="Pages">
        <a href="/ui/?{{tableQuery}}"{{#onOverview}} aria-current="page"{{/onOverview}}>Overview</a>
        <a href="/ui/stuck?{{tableQuery}}"{{#onStuck}} aria-current="page"{{/onStuck}}>Stuck</a>
        <a href="/ui/runs?{{tableQuery}}"{{#onRuns}} aria-current="page"{{/onRuns}}>Runs</a>
        <a href="/ui/journal?{{tableQuery}}"{{#onJournal}} aria-current="page"{{/onJournal}}>Journal</a>
        <a href="/ui/retention?{{tableQuery}}"{{#onRetention}} aria-current="page"{{/onRetention}}>Retention</a>
        </nav>
        <form class="signout" method="post" action="/ui/logout"><span class="role">{{roleText}}</span> <button type="submit">Sign out</button></form>
        {{/signedIn}}{{/chrome}}
        </header>
        <main id="main"{{#chrome.refreshSeconds}} data-refresh="{{chrome.refreshSeconds}}"{{/chrome.refreshSeconds}}>
        {{$content}}{{/content}}
        </main>
        {{#chrome}}<footer>TaskWarden {{version}} · {{roleText}}</footer>{{/chrome}}
        </body>
        </html>
        """

    static let login = """
        {{<layout}}
        {{$title}}Sign in{{/title}}
        {{$content}}
        <h1>Sign in</h1>
        {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
        <form method="post" action="/ui/login" class="login">
        <label for="token">Read or admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required minlength="16">
        <button type="submit">Sign in</button>
        </form>
        <p class="hint">The tokens are those of the admin API (<code>--read-token-file</code>, <code>--admin-token-file</code>). The read token shows; the admin token may also act.</p>
        {{/content}}
        {{/layout}}
        """

    static let chart = """
        <figure class="chart">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="chart-{{id}}">
        <title id="chart-{{id}}">{{summary}}</title>
        <line x1="0" y1="{{axisY}}" x2="{{width}}" y2="{{axisY}}" stroke="currentColor" stroke-width="1"/>
        {{#bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="#3b6fb6"><title>{{label}}</title></rect>
        {{/bars}}
        {{#ticks}}<text x="{{x}}" y="{{labelY}}" font-size="10" fill="currentColor">{{text}}</text>
        {{/ticks}}
        </svg>
        <figcaption>Finished per hour, last 24 hours (UTC): {{total}} in all, at most {{maximum}} in an hour.</figcaption>
        </figure>
        """

    static let overview = """
        {{<layout}}
        {{$title}}Overview{{/title}}
        {{$content}}
        <h1>Overview</h1>
        <p class="muted">As of {{now}} (the database's clock). Counts are exact unless marked <span title="estimated">~</span> (the database's estimate) or "more than" (a count that stopped).</p>
        {{#tables}}
        <section class="table" aria-labelledby="t-{{anchor}}">
        <h2 id="t-{{anchor}}">{{name}}</h2>
        <dl class="facts">
        <div><dt>Runs</dt><dd>{{total}}</dd></div>
        <div><dt>Stuck now</dt><dd>{{#stuckCount}}<a class="bad" href="/ui/stuck?{{tableQuery}}">{{stuckCount}}</a>{{/stuckCount}}{{^stuckCount}}0{{/stuckCount}} <span class="muted">(threshold {{threshold}})</span></dd></div>
        <div><dt>Oldest silent running run</dt><dd>{{#oldestSilent}}{{oldestSilent}}{{/oldestSilent}}{{^oldestSilent}}none running{{/oldestSilent}}</dd></div>
        <div><dt>Finished, last hour</dt><dd>{{finishedLastHour}}</dd></div>
        <div><dt>Size</dt><dd>{{size}}</dd></div>
        <div><dt>Purge backlog</dt><dd>{{backlog}}</dd></div>
        <div><dt>Watchdog here</dt><dd>{{watchdog}}</dd></div>
        <div><dt>Watchdog leader</dt><dd>{{lease}}</dd></div>
        </dl>
        {{#watchdogError}}<p class="error">Watchdog's last failure: {{watchdogError}}</p>{{/watchdogError}}
        {{#estimated}}<p class="muted estimated">Counts by status are estimates or stop at a cap, every kind together: this table holds {{estimated}} (the runs browser still filters by kind).</p>{{/estimated}}
        <div class="scroll">
        <table>
        <caption>Runs by status and kind</caption>
        <thead><tr><th scope="col">Kind</th>{{#statuses}}<th scope="col">{{.}}</th>{{/statuses}}</tr></thead>
        <tbody>
        {{#rows}}<tr><th scope="row">{{kind}}</th>{{#cells}}<td>{{#count}}<a href="/ui/runs?{{query}}">{{count}}</a>{{/count}}</td>{{/cells}}</tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="{{columns}}">No runs.</td></tr>{{/rows}}
        </tbody>
        </table>
        </div>
        {{#chart}}{{> chart}}{{/chart}}
        </section>
        {{/tables}}
        {{/content}}
        {{/layout}}
        """

    static let stuck = """
        {{<layout}}
        {{$title}}Stuck runs{{/title}}
        {{$content}}
        <h1>Stuck runs <span class="muted">in {{tableName}}</span></h1>
        <p class="muted">Running and silent (no heartbeat, else no start) for longer than their kind's threshold, by the database's clock at {{now}}.</p>
        {{#canRecover}}<p><a class="action" href="/ui/recover?{{chrome.tableQuery}}">Recover these runs…</a> (preview first; nothing changes until you confirm)</p>{{/canRecover}}
        {{#canRecover}}
        <form id="selection" method="get" action="/ui/reset"><input type="hidden" name="table" value="{{tableName}}"><input type="hidden" name="status" value="running"></form>
        <p class="actions">With the runs ticked: <button form="selection" type="submit" formaction="/ui/reset">Reset…</button> <button form="selection" type="submit" formaction="/ui/cancel">Ask to stop…</button></p>
        {{/canRecover}}
        <div class="scroll">
        <table>
        <thead><tr>{{#canRecover}}<th scope="col">Pick</th>{{/canRecover}}<th scope="col">Run</th><th scope="col">Kind</th><th scope="col">Silent for</th><th scope="col">Threshold</th><th scope="col">Started</th><th scope="col">Last heartbeat</th><th scope="col">Worker</th><th scope="col">Progress</th></tr></thead>
        <tbody>
        {{#runs}}<tr>{{#canRecover}}<td><input type="checkbox" name="id" value="{{id}}" form="selection" aria-label="Pick run {{id}}"></td>{{/canRecover}}<td><a href="/ui/run?{{query}}">{{id}}</a></td><td>{{kind}}</td><td class="bad">{{silentFor}}</td><td>{{threshold}}</td><td>{{startedAt}}</td><td>{{heartbeatAt}}</td><td>{{worker}}</td><td>{{progress}}</td></tr>
        {{/runs}}
        {{^runs}}<tr><td colspan="9">No run is stuck.</td></tr>{{/runs}}
        </tbody>
        </table>
        </div>
        {{/content}}
        {{/layout}}
        """

    static let runs = """
        {{<layout}}
        {{$title}}Runs{{/title}}
        {{$content}}
        <h1>Runs <span class="muted">in {{tableName}}</span></h1>
        <form method="get" action="/ui/runs" class="filters">
        <input type="hidden" name="table" value="{{tableName}}">
        <label>Status <select name="status"><option value="">any</option>{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statusOptions}}</select></label>
        <label>Kind <input name="kind" value="{{kind}}"></label>
        <label>Queue <input name="queue" value="{{queue}}"></label>
        <label>Worker <input name="worker" value="{{worker}}"></label>
        <label>Started within <input name="since" value="{{since}}" placeholder="e.g. 24h" size="6"></label>
        <button type="submit">Filter</button>
        </form>
        {{#canChange}}
        <form id="selection" method="get" action="/ui/reset"><input type="hidden" name="table" value="{{tableName}}"></form>
        <p class="actions">With the runs ticked: <button form="selection" type="submit" formaction="/ui/reset">Reset…</button> <button form="selection" type="submit" formaction="/ui/cancel">Ask to stop…</button> <button form="selection" type="submit" formaction="/ui/delete">Delete…</button></p>
        <p class="actions">Everything matching this filter: <a href="/ui/reset?{{filterQuery}}">Reset…</a> · <a href="/ui/cancel?{{filterQuery}}">Ask to stop…</a> · <a href="/ui/delete?{{filterQuery}}">Delete…</a> · <a href="/ui/purge?{{filterQuery}}">Purge…</a> <span class="muted">(each previews first; nothing changes until you confirm)</span></p>
        {{/canChange}}
        <div class="scroll">
        <table>
        <thead><tr>{{#canChange}}<th scope="col">Pick</th>{{/canChange}}<th scope="col">Run</th><th scope="col">Status</th><th scope="col">Kind</th><th scope="col">Queue</th><th scope="col">Worker</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Progress</th><th scope="col">Note</th></tr></thead>
        <tbody>
        {{#runs}}<tr>{{#canChange}}<td><input type="checkbox" name="id" value="{{id}}" form="selection" aria-label="Pick run {{id}}"></td>{{/canChange}}<td><a href="/ui/run?{{query}}">{{id}}</a></td><td>{{status}}</td><td>{{kind}}</td><td>{{queue}}</td><td>{{worker}}</td><td>{{startedAt}}</td><td>{{finishedAt}}</td><td>{{progress}}</td><td class="note">{{note}}</td></tr>
        {{/runs}}
        {{^runs}}<tr><td colspan="10">No run matches.</td></tr>{{/runs}}
        </tbody>
        </table>
        </div>
        {{#moreQuery}}<p><a class="more" href="/ui/runs?{{moreQuery}}">Show more</a></p>{{/moreQuery}}
        {{/content}}
        {{/layout}}
        """

    static let journalRows = """
        <div class="scroll">
        <table>
        <thead><tr><th scope="col">When</th><th scope="col">Operation</th><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Batch</th><th scope="col">Actor</th><th scope="col">Reason</th></tr></thead>
        <tbody>
        {{#entries}}<tr><td>{{createdAt}}</td><td>{{operation}}</td><td><a href="/ui/run?{{runQuery}}">{{runID}}</a></td><td>{{oldStatus}} → {{newStatus}}</td><td><a href="/ui/journal?{{batchQuery}}">{{batchID}}</a></td><td>{{actor}}</td><td>{{reason}}</td></tr>
        {{/entries}}
        {{^entries}}<tr><td colspan="7">No journal entry.</td></tr>{{/entries}}
        </tbody>
        </table>
        </div>
        """

    static let journal = """
        {{<layout}}
        {{$title}}Journal{{/title}}
        {{$content}}
        <h1>Journal <span class="muted">{{#batch}}batch {{batch}}{{/batch}}{{^batch}}latest changes{{/batch}}</span></h1>
        <p class="muted">Every change TaskWarden made (recover, reset, cancel, delete, undo), newest first, with who and why. Purges are not journaled.</p>
        {{^journalExists}}<p class="error">The journal table does not exist: this database was never migrated by TaskWarden.</p>{{/journalExists}}
        {{#canUndoBatch}}<p><a class="action" href="/ui/undo?{{undoQuery}}">Undo this batch…</a> (preview first: runs that moved on since are left alone)</p>{{/canUndoBatch}}
        {{#hasBatches}}
        <div class="scroll">
        <table class="batches">
        <caption>Batches, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Operation</th><th scope="col">Runs</th><th scope="col">Actor</th><th scope="col">Reason</th><th scope="col">Batch</th>{{#canUndo}}<th scope="col">Undo</th>{{/canUndo}}</tr></thead>
        <tbody>
        {{#batches}}<tr><td>{{startedAt}}</td><td>{{operation}}</td><td>{{entries}}</td><td>{{actor}}</td><td>{{reason}}</td><td><a href="/ui/journal?{{batchQuery}}">{{batchID}}</a></td>{{#canUndo}}<td><a href="/ui/undo?{{batchQuery}}">Undo…</a></td>{{/canUndo}}</tr>
        {{/batches}}
        </tbody>
        </table>
        </div>
        <h2>Entries</h2>
        {{/hasBatches}}
        {{> journal_rows}}
        {{/content}}
        {{/layout}}
        """

    static let run = """
        {{<layout}}
        {{$title}}Run {{id}}{{/title}}
        {{$content}}
        <h1>Run {{id}} <span class="muted">in {{tableName}}</span></h1>
        <p class="{{#isStuck}}bad{{/isStuck}}">{{verdict}}</p>
        <h2>Timeline</h2>
        <ol class="timeline">
        {{#timeline}}<li><time>{{time}}</time> {{what}}</li>
        {{/timeline}}
        </ol>
        <h2>Columns</h2>
        <div class="scroll">
        <table>
        <thead><tr><th scope="col">Role</th><th scope="col">Column</th><th scope="col">Value</th></tr></thead>
        <tbody>
        {{#values}}<tr><th scope="row">{{role}}</th><td><code>{{column}}</code></td><td class="value">{{value}}</td></tr>
        {{/values}}
        </tbody>
        </table>
        </div>
        {{#parent}}<p>Parent: <a href="/ui/run?{{query}}">{{id}}</a> ({{status}})</p>{{/parent}}
        <h2>Journal</h2>
        {{^journalExists}}<p class="muted">No journal table: this database was never migrated by TaskWarden.</p>{{/journalExists}}
        {{> journal_rows}}
        {{/content}}
        {{/layout}}
        """

    static let change = """
        {{<layout}}
        {{$title}}{{title}}{{/title}}
        {{$content}}
        <h1>{{title}} <span class="muted">in {{tableName}}</span></h1>
        {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
        <p><strong>{{found}}</strong> {{foundText}}{{#selectedCount}} among the {{selectedCount}} runs ticked{{/selectedCount}}{{#status}} (status {{status}}){{/status}}{{#kind}} (kind {{kind}}){{/kind}}{{#olderThan}} (older than {{olderThan}}){{/olderThan}}{{#batch}} (batch {{batch}}){{/batch}}. Nothing has changed yet.</p>
        {{#leftAlone}}<p class="bad">{{leftAlone}} runs of the batch moved on since (changed by someone else, or gone): the undo leaves them alone.</p>{{/leftAlone}}
        {{#hasRefused}}<p>Named but left alone:</p><ul>{{#refused}}<li>{{.}}</li>{{/refused}}</ul>{{/hasRefused}}
        {{#hasSample}}
        <div class="scroll">
        <table>
        <caption>{{#isUndo}}What goes back{{/isUndo}}{{^isUndo}}The first runs{{/isUndo}}</caption>
        <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Kind</th><th scope="col">Details</th></tr></thead>
        <tbody>
        {{#sample}}<tr><td><a href="/ui/run?{{query}}">{{id}}</a></td><td>{{status}}</td><td>{{kind}}</td><td>{{detail}}</td></tr>
        {{/sample}}
        </tbody>
        </table>
        </div>
        {{/hasSample}}
        {{#more}}<p class="muted">and {{more}} more.</p>{{/more}}
        {{#hasLeftAloneSample}}
        <div class="scroll">
        <table class="left-alone">
        <caption>Left alone: moved on since the batch</caption>
        <thead><tr><th scope="col">Run</th><th scope="col">Status now</th><th scope="col">Details</th></tr></thead>
        <tbody>
        {{#leftAloneSample}}<tr><td><a href="/ui/run?{{query}}">{{id}}</a></td><td>{{status}}</td><td>{{detail}}</td></tr>
        {{/leftAloneSample}}
        </tbody>
        </table>
        </div>
        {{/hasLeftAloneSample}}
        {{#hasCounts}}
        <div class="scroll">
        <table>
        <caption>By status and kind</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Kind</th><th scope="col">Rows</th></tr></thead>
        <tbody>
        {{#counts}}<tr><td>{{status}}</td><td>{{kind}}</td><td>{{rows}}</td></tr>
        {{/counts}}
        </tbody>
        </table>
        </div>
        {{/hasCounts}}
        <p class="muted">In {{batches}} batches of up to {{batchSize}}, each one short transaction; the cancel button stops between two.</p>
        <details>
        <summary>The SQL{{#scriptBatches}} of the first {{scriptBatches}} batches{{/scriptBatches}} ({{statements}} statements, as <code>taskwarden {{action}} --show-sql</code> prints it{{#scriptBatches}}; it prints all {{batches}}{{/scriptBatches}})</summary>
        <pre class="sql">{{script}}</pre>
        </details>
        {{#canConfirm}}
        <form method="post" action="/ui/{{action}}" class="confirm">
        <input type="hidden" name="form_token" value="{{formToken}}">
        <input type="hidden" name="table" value="{{tableName}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
        {{/hidden}}
        {{#hasTarget}}<label>Make them <select name="to">{{#targets}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/targets}}</select></label>{{/hasTarget}}
        <label>Type the number of runs to {{action}} ({{found}}) <input name="count" inputmode="numeric" autocomplete="off" required></label>
        <label>Reason (goes into the journal) <input name="reason" required maxlength="500"></label>
        <label>Your name (optional, for the journal) <input name="actor" maxlength="64"></label>
        <button type="submit">{{verb}}</button>
        </form>
        {{/canConfirm}}
        {{/content}}
        {{/layout}}
        """

    static let retention = """
        {{<layout}}
        {{$title}}Retention{{/title}}
        {{$content}}
        <h1>Retention <span class="muted">of {{tableName}}</span></h1>
        <h2>Configured</h2>
        {{#hasRules}}
        <div class="scroll">
        <table>
        <caption>How long finished runs are kept (the configuration's <code>retention</code>, which <code>watch</code> purges by)</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Kind</th><th scope="col">Kept for</th></tr></thead>
        <tbody>
        {{#rules}}<tr><td>{{status}}</td><td>{{kind}}</td><td>{{keep}}</td></tr>
        {{/rules}}
        </tbody>
        </table>
        </div>
        {{/hasRules}}
        {{^hasRules}}<p>No retention is configured: nothing is purged unless asked (below).</p>{{/hasRules}}
        <p>Past retention now: {{backlog}}.{{#canPurge}}{{#configuredPurgeQuery}} <a class="action" href="/ui/purge?{{configuredPurgeQuery}}">Purge by the configured retention…</a>{{/configuredPurgeQuery}}{{/canPurge}}</p>
        <h2>What if</h2>
        <form method="get" action="/ui/retention" class="filters">
        <input type="hidden" name="table" value="{{tableName}}">
        <label>Finished longer ago than <input name="older_than" value="{{age}}" placeholder="e.g. 30d" size="8" required></label>
        <label>Status <select name="status"><option value="">every finished</option>{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statusOptions}}</select></label>
        <label>Kind <input name="kind" value="{{kind}}"></label>
        <button type="submit">Count</button>
        </form>
        {{#asked}}
        <div class="scroll">
        <table class="what-if">
        <caption>A purge of runs finished longer ago than {{age}} would free</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Kind</th><th scope="col">Rows</th><th scope="col">Bytes (estimated)</th></tr></thead>
        <tbody>
        {{#parts}}<tr><td>{{status}}</td><td>{{kind}}</td><td>{{rows}}</td><td>{{bytes}}</td></tr>
        {{/parts}}
        {{^parts}}<tr><td colspan="4">Nothing: no finished run is that old.</td></tr>{{/parts}}
        </tbody>
        <tfoot><tr><th scope="row" colspan="2">In all</th><td>{{rows}}</td><td>{{bytes}}</td></tr></tfoot>
        </table>
        </div>
        <p class="muted">Rows are counted exactly, as the purge selects them (its own dry run, through the (status, finished_at, id) index). Bytes are estimated: the rows times the table's average row size ({{averageRow}}: its size on disk with indexes, over the database's estimate of its rows; on SQLite the whole file's size, so an upper bound). Space freed is reused by the table before the file shrinks.</p>
        {{#canPurge}}<p><a class="action" href="/ui/purge?{{purgeQuery}}">Purge these runs…</a> (preview first; it runs in short batches, as <code>taskwarden purge</code>)</p>{{/canPurge}}
        {{/asked}}
        {{/content}}
        {{/layout}}
        """

    static let operation = """
        {{<layout}}
        {{$title}}{{title}}{{/title}}
        {{$content}}
        <h1>{{title}} <span class="muted">in {{tableName}}</span></h1>
        <p class="muted">Started {{startedAt}} by {{actor}}.</p>
        <p role="status"><progress max="{{expected}}" value="{{done}}">{{done}} of {{expected}}</progress> {{done}} of {{expected}} runs, {{batches}} batches committed{{#running}}, running{{/running}}.</p>
        {{#cancelRequested}}<p>Stopping before the next batch…</p>{{/cancelRequested}}
        {{#canCancel}}
        <form method="post" action="/ui/operation/cancel">
        <input type="hidden" name="form_token" value="{{formToken}}">
        <input type="hidden" name="id" value="{{id}}">
        <button type="submit">Cancel (stops before the next batch; committed batches stay)</button>
        </form>
        {{/canCancel}}
        {{#outcome}}<p>{{outcome}}</p>{{/outcome}}
        {{#error}}<p class="error" role="alert">Failed: {{error}}</p>{{/error}}
        {{#batch}}<p>Journal batch <a href="/ui/journal?{{batchQuery}}">{{batch}}</a>: undo it with <code>taskwarden undo --batch {{batch}}</code>{{#canUndo}}, or here: <a class="action" href="/ui/undo?{{batchQuery}}">Undo this batch…</a>{{/canUndo}}.</p>{{/batch}}
        {{/content}}
        {{/layout}}
        """

    static let error = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <p class="error" role="alert">{{message}}</p>
        {{/content}}
        {{/layout}}
        """
}
