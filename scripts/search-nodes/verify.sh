#!/usr/bin/env bash
# Smoke-checks the search features FOIA Discovery relies on against a running node.
#   scripts/search-nodes/verify.sh opensearch|elasticsearch [URL] [ANALYZER]
# Prints one "PASS|FAIL <feature>" line per check and a closing "N passed, N failed" line;
# exits non-zero if any check failed. ANALYZER defaults to english (standard for an ES node started with
# --no-analysis-subset, which then has no english analyzer).
set -u
flavor=${1:?usage: verify.sh opensearch|elasticsearch [URL] [ANALYZER]}
case "$flavor" in
  opensearch) url=${2:-http://127.0.0.1:${FOIA_OPENSEARCH_PORT:-9200}} ;;
  elasticsearch) url=${2:-http://127.0.0.1:${FOIA_ELASTICSEARCH_PORT:-9201}} ;;
  *) echo "unknown flavor $flavor" >&2; exit 2 ;;
esac
analyzer=${3:-english}
idx="foia-verify-$$"
pass=0; fail=0
req() { # METHOD PATH [BODY] -> body on stdout, HTTP code in $code
  local out
  out=$(curl -s -m 30 -w '\n%{http_code}' -X "$1" -H 'Content-Type: application/json' "$url$2" ${3:+--data-binary "$3"})
  code=${out##*$'\n'}; body=${out%$'\n'*}
}
check() { # NAME PYTHON-EXPR over the JSON response `r`
  local name=$1 expr=$2
  if [[ $code == 2* ]] && python3 -c "import json,sys; r=json.loads(sys.stdin.read()); sys.exit(0 if ($expr) else 1)" <<<"$body" 2>/dev/null; then
    echo "PASS $name"; pass=$((pass+1))
  else
    echo "FAIL $name (HTTP $code): ${body:0:400}"; fail=$((fail+1))
  fi
}
ndjson() { printf '%s\n' "$@"; }

req GET /_cluster/health; check "cluster health" "r['status'] in ('green','yellow')"
req GET /; check "root endpoint GET /" "'version' in r"
req PUT "/$idx" '{"settings":{"number_of_shards":1,"number_of_replicas":0},
  "mappings":{"properties":{"title":{"type":"text","analyzer":"'"$analyzer"'"},
  "body":{"type":"text","analyzer":"'"$analyzer"'"},"agency":{"type":"keyword"},"released":{"type":"date"}}}}'
check "create index with $analyzer analyzer" "r.get('acknowledged') is True"
if [[ $code != 2* ]]; then echo "$pass passed, $fail failed"; exit 1; fi
req POST "/$idx/_bulk?refresh=true" "$(ndjson \
  '{"index":{"_id":"1"}}' \
  '{"title":"Memo on drone programs","body":"The agencies were running several drone programs in 2019.","agency":"DOD","released":"2021-03-04"}' \
  '{"index":{"_id":"2"}}' \
  '{"title":"Budget letter","body":"A letter about the budget of the program office.","agency":"GAO","released":"2022-07-15"}')"$'\n'
check "bulk index 2 docs" "r['errors'] is False and len(r['items'])==2"
req POST "/$idx/_search" '{"query":{"match":{"body":"program"}}}'
if [[ $analyzer == english ]]; then
  check "match query (english stemming: program~programs)" "r['hits']['total']['value']==2"
else
  check "match query" "r['hits']['total']['value']>=1"
fi
req POST "/$idx/_search" '{"query":{"intervals":{"body":{"match":{"query":"drone programs","ordered":true,"max_gaps":1}}}}}'
check "intervals query" "[h['_id'] for h in r['hits']['hits']]==['1']"
req POST "/$idx/_search" '{"size":0,"aggs":{"by_agency":{"terms":{"field":"agency"}}}}'
check "terms aggregation" "sorted(b['key'] for b in r['aggregations']['by_agency']['buckets'])==['DOD','GAO']"
req POST "/$idx/_search" '{"size":0,"aggs":{"per_year":{"date_histogram":{"field":"released","calendar_interval":"year"}}}}'
check "date_histogram" "[b['doc_count'] for b in r['aggregations']['per_year']['buckets']]==[1,1]"
req POST "/$idx/_search" '{"query":{"match":{"body":"drone"}},"highlight":{"fields":{"body":{}}}}'
check "highlight" "'<em>drone</em>' in r['hits']['hits'][0]['highlight']['body'][0]"
if [[ $flavor == opensearch ]]; then
  req POST "/$idx/_search/point_in_time?keep_alive=1m"; check "open point-in-time" "'pit_id' in r"
  pit=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("pit_id",""))' <<<"$body" 2>/dev/null)
  pitq='"pit":{"id":"'$pit'","keep_alive":"1m"}'
else
  req POST "/$idx/_pit?keep_alive=1m"; check "open point-in-time" "'id' in r"
  pit=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("id",""))' <<<"$body" 2>/dev/null)
  pitq='"pit":{"id":"'$pit'","keep_alive":"1m"}'
fi
req POST /_search '{"size":1,'"$pitq"',"sort":[{"released":"asc"}]}'
check "pit search page 1" "[h['_id'] for h in r['hits']['hits']]==['1']"
after=$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["hits"]["hits"][-1]["sort"]))' <<<"$body" 2>/dev/null || echo null)
req POST /_search '{"size":1,'"$pitq"',"sort":[{"released":"asc"}],"search_after":'"$after"'}'
check "pit search_after page 2" "[h['_id'] for h in r['hits']['hits']]==['2']"
if [[ $flavor == opensearch ]]; then
  req DELETE /_search/point_in_time '{"pit_id":["'"$pit"'"]}'; check "close point-in-time" "True"
else
  req DELETE /_pit '{"id":"'"$pit"'"}'; check "close point-in-time" "r.get('succeeded') is True"
fi
req DELETE "/$idx"; check "delete index" "r.get('acknowledged') is True"
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
