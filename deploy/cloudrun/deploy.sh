#!/usr/bin/env bash
# Deploy sales-agent to Cloud Run: migrations as a job (run to completion first), the API as
# a service, the workers as an always-on worker pool, all on one image, against Cloud SQL
# (Postgres 16 + pgvector) through its connection socket, secrets from Secret Manager.
#
#   deploy/cloudrun/deploy.sh ENV        reads deploy/cloudrun/ENV.env (see example.env)
#   DRY_RUN=1 deploy/cloudrun/deploy.sh ENV   prints the gcloud commands instead
#
# docs/DEPLOYMENT.md sets up the project, the database and the secrets this expects.
set -euo pipefail

env_name="${1:?usage: deploy/cloudrun/deploy.sh ENV (reads deploy/cloudrun/ENV.env)}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="$here/$env_name.env"
[[ -f "$config" ]] || { echo "error: $config is missing: copy $here/example.env and fill it in" >&2; exit 2; }
# shellcheck source=/dev/null
source "$config"
: "${PROJECT:?set PROJECT in $config}" "${REGION:?set REGION}" "${IMAGE:?set IMAGE}"
: "${SQL_INSTANCE:?set SQL_INSTANCE}" "${SERVICE_ACCOUNT:?set SERVICE_ACCOUNT}"
: "${PUBLIC_URL:?set PUBLIC_URL (where operators reach the API)}"

run() { if [[ -n "${DRY_RUN:-}" ]]; then printf '%q ' "$@"; echo; else "$@"; fi; }

connection="$PROJECT:$REGION:$SQL_INSTANCE"
secrets="DATABASE_URL=database-url:latest,SALES_AGENT_HUBSPOT_ACCESS_TOKEN=hubspot-token:latest,SALES_AGENT_GOOGLE_CLIENT_SECRET=google-client-secret:latest,SALES_AGENT_SECRET_KEY=secret-key:latest,SALES_AGENT_HUBSPOT_APP_SECRET=hubspot-app-secret:latest,SALES_AGENT_PUBSUB_VERIFICATION_TOKEN=pubsub-token:latest"
# The operator connects Google from the product (docs/CONNECT.md); a refresh-token secret is
# only a fallback, mapped when GOOGLE_REFRESH_TOKEN_SECRET names one.
if [[ -n "${GOOGLE_REFRESH_TOKEN_SECRET:-}" ]]; then
  secrets+=",SALES_AGENT_GOOGLE_REFRESH_TOKEN=$GOOGLE_REFRESH_TOKEN_SECRET:latest"
fi
common=(
  --project "$PROJECT" --region "$REGION" --image "$IMAGE"
  --service-account "$SERVICE_ACCOUNT"
  --set-cloudsql-instances "$connection"
  # Each is a Secret Manager secret (docs/DEPLOYMENT.md creates them).
  --set-secrets "$secrets"
  --set-env-vars "SALES_AGENT_GOOGLE_CLIENT_ID=${GOOGLE_CLIENT_ID:?set GOOGLE_CLIENT_ID},SALES_AGENT_PUBLIC_URL=$PUBLIC_URL,SALES_AGENT_OPERATOR_EMAIL=${OPERATOR_EMAIL:?set OPERATOR_EMAIL},SALES_AGENT_MODEL=${MODEL:-offline},SALES_AGENT_EMBEDDINGS=${EMBEDDINGS:-local}"
)

# 1. Migrations: a job, executed to completion before any new code serves.
run gcloud run jobs deploy sales-agent-migrate "${common[@]}" \
  --args db,upgrade --tasks 1 --max-retries 1 --task-timeout 900 --cpu 1 --memory 2Gi
run gcloud run jobs execute sales-agent-migrate --project "$PROJECT" --region "$REGION" --wait

# 2. The API: a service; webhooks must reach it, so IAM lets anyone in and our API keys guard it.
run gcloud run deploy sales-agent-api "${common[@]}" \
  --args serve,--no-worker,--host,0.0.0.0,--port,8000 --port 8000 \
  --cpu "${API_CPU:-2}" --memory "${API_MEMORY:-4Gi}" \
  --min-instances "${API_MIN_INSTANCES:-1}" --max-instances "${API_MAX_INSTANCES:-4}" \
  --concurrency 40 --timeout 300 --allow-unauthenticated

# 3. The workers: a worker pool, always on (scale-to-zero would strand jobs in flight).
run gcloud beta run worker-pools deploy sales-agent-worker "${common[@]}" \
  --args worker,--concurrency,"${WORKER_CONCURRENCY:-4}" \
  --cpu "${WORKER_CPU:-2}" --memory "${WORKER_MEMORY:-4Gi}" --scaling "${WORKERS:-2}"
