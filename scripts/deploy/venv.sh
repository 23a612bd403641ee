#!/usr/bin/env bash
# Makes the virtual environment with kubernetes-validate (scripts/deploy/requirements.txt) and
# prints the path of its kubernetes-validate, for DeployRecipeTests:
#
#   validate=$(scripts/deploy/venv.sh)      # .build-venv-deploy/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
bin=$(bash "$repo/scripts/python-venv.sh" "$repo/scripts/deploy/requirements.txt" "${TASKWARDEN_DEPLOY_VENV:-$repo/.build-venv-deploy}")
printf '%s\n' "$bin/kubernetes-validate"
