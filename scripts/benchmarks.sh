#!/usr/bin/env bash
# Runs the benchmark matrix of docs/benchmarks.md on this machine and prints its tables.
# Every figure is the median of --runs 3 measured windows (bench reports the median run).
# The machine should be otherwise idle; server and load generator run at the same priority.
#
#   scripts/benchmarks.sh                 # everything (~15 min on 2 cores)
#   scripts/benchmarks.sh dense128 mlp    # a subset: dense128 grpc mlp resnet wrk
#
# `wrk` (not in the default set) compares dense128 REST with the naive one-file handler
# (cluster-serving-bench's NaiveRestBaseline) under wrk -t2 -c16: ROUNDS (5) alternating rounds,
# each server paused with SIGSTOP while the other is measured; medians of the rounds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CS=cluster-serving-cli/target/cluster-serving/bin/cluster-serving
# The launcher rebuilds the distribution when the sources changed since its last build.
./cluster-serving --version >/dev/null
OUT=target/benchmarks
mkdir -p "$OUT"
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
REST=18801
GRPC=18800
SELECTED=("$@")
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=(dense128 grpc mlp resnet)
ROUNDS=${ROUNDS:-5}
NAIVE=18601
wants() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -CONT "$server_pid" 2>/dev/null || true # a wrk round may have paused it
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
naive_pid=""
cleanup() {
  stop_server
  if [ -n "$naive_pid" ]; then
    kill -CONT "$naive_pid" 2>/dev/null || true
    kill "$naive_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# start_server LOG ARGS...: serves with ARGS and waits until every model is AVAILABLE.
start_server() {
  local log="$1"; shift
  "$CS" serve --rest_api_port=$REST --port=$GRPC --rest_api_host=127.0.0.1 "$@" >"$OUT/$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -fs "http://127.0.0.1:$REST/v2/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "server did not become ready; see $OUT/$log" >&2
  exit 1
}

source scripts/steal.sh
bench() {
  steal_start
  "$CS" bench --runs "$RUNS" --duration "$DURATION" --warmup "$WARMUP" "$@"
  steal_report
}

repo=$OUT/repo
mkdir -p "$repo"
"$CS" examples --output "$repo" >/dev/null
# dense128 without its example model.yaml: one row per request is served unbatched (inline).
rm -f "$repo/dense128/model.yaml"

if wants dense128 || wants grpc; then
  start_server dense128.log --model_name=dense128 --model_base_path="$repo/dense128"
  if wants dense128; then
    echo "== dense128, REST (TF Serving row format), one row per request"
    bench --url "http://127.0.0.1:$REST" --model dense128 --protocol rest --concurrency 1,16,64
  fi
  if wants grpc; then
    echo "== dense128, gRPC (TF Serving Predict, tensor_content), one row per request"
    bench --url "grpc://127.0.0.1:$GRPC" --model dense128 --protocol grpc --concurrency 1,16,64
  fi
  stop_server
fi

if wants mlp; then
  cat >"$OUT/mlp_batching.txt" <<'CONF'
max_batch_size { value: 32 }
batch_timeout_micros { value: 2000 }
max_enqueued_batches { value: 16 }
num_batch_threads { value: 2 }
CONF
  echo "== mlp 1024-4096-4096-1000, REST, one row per request, concurrency 64: batching off"
  start_server mlp_off.log --model_name=mlp --model_base_path="$repo/mlp"
  bench --url "http://127.0.0.1:$REST" --model mlp --protocol rest --concurrency 64
  stop_server
  echo "== the same with --enable_batching (max_batch_size 32, batch_timeout_micros 2000, 2 batch threads)"
  start_server mlp_on.log --model_name=mlp --model_base_path="$repo/mlp" \
    --enable_batching --batching_parameters_file="$OUT/mlp_batching.txt"
  bench --url "http://127.0.0.1:$REST" --model mlp --protocol rest --concurrency 64
  stop_server
fi

if wants resnet; then
  resnet=$OUT/resnet
  mkdir -p "$resnet/1"
  cp ../shared/models/resnet50-light.onnx "$resnet/1/model.onnx"
  echo "== resnet50-light served over gRPC (tensor_content), 1 intra-op thread per run, concurrency 1 and 2"
  # ~100 ms per inference: the handler pool, not the event loop (both users share one connection).
  start_server resnet.log --model_name=resnet --model_base_path="$resnet" --tensorflow_intra_op_parallelism=1 \
    --grpc_inference_on_event_loop=false
  bench --url "grpc://127.0.0.1:$GRPC" --model resnet --protocol grpc --concurrency 1,2
  stop_server
  echo "== resnet50-light in-process ONNX Runtime (JMH), same thread settings, 1 and 2 calling threads"
  jar=cluster-serving-bench/target/benchmarks.jar
  [ -f "$jar" ] || mvn -B -q -o package -DskipTests -pl cluster-serving-bench
  for t in 1 2; do
    java -jar "$jar" OnnxRuntimeInProcess -t "$t" -p model=../shared/models/resnet50-light.onnx \
      -p intraOpThreads=1 -wi 2 -w 5 -i "$RUNS" -r 10 -f 1 -rf json -rff "$OUT/jmh-resnet-t$t.json" >/dev/null 2>&1
    # The median of the measured iterations, in runs per second.
    python3 -c 'import json,statistics,sys; r=json.load(open(sys.argv[1]))[0]; it=[x for f in r["primaryMetric"]["rawData"] for x in f]; print(f"in-process threads={sys.argv[2]}  runs/s median={statistics.median(it):.2f}  iterations={[round(x,2) for x in it]}")' \
      "$OUT/jmh-resnet-t$t.json" "$t"
  done
fi

if wants wrk; then
  command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
  jar=cluster-serving-bench/target/benchmarks.jar
  [ -f "$jar" ] || mvn -B -q -o package -DskipTests -pl cluster-serving-bench
  body=$(awk 'BEGIN { srand(7); printf "{\"instances\":[["; for (i = 0; i < 128; i++) printf "%s%.6f", (i ? "," : ""), rand() * 2 - 1; print "]]}" }')
  printf "wrk.method = \"POST\"\nwrk.body = '%s'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n" "$body" \
    >"$OUT/dense128.lua"
  start_server dense128-wrk.log --model_name=dense128 --model_base_path="$repo/dense128"
  java -cp "$jar" io.clusterserving.bench.NaiveRestBaseline "$repo/dense128/1/model.onnx" $NAIVE >"$OUT/naive.log" 2>&1 &
  naive_pid=$!
  for _ in $(seq 1 120); do curl -fs -o /dev/null -d "$body" "http://127.0.0.1:$NAIVE/v1/models/dense128:predict" && break; sleep 0.5; done
  # run_wrk PORT: prints "req/s p99_ms" of one 8 s window.
  run_wrk() {
    wrk -t2 -c16 -d8s --latency -s "$OUT/dense128.lua" "http://127.0.0.1:$1/v1/models/dense128:predict" |
      awk '/Requests\/sec/ { rps = $2 } $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } p99 = v }
           END { printf "%.0f %.2f\n", rps, p99 }'
  }
  echo "== dense128 REST under wrk -t2 -c16: cluster-serving vs the naive handler, $ROUNDS alternating rounds"
  steal_start
  kill -STOP $naive_pid
  wrk -t2 -c16 -d15s -s "$OUT/dense128.lua" "http://127.0.0.1:$REST/v1/models/dense128:predict" >/dev/null # warm-up
  kill -STOP "$server_pid"; kill -CONT $naive_pid
  wrk -t2 -c16 -d15s -s "$OUT/dense128.lua" "http://127.0.0.1:$NAIVE/v1/models/dense128:predict" >/dev/null
  : >"$OUT/wrk-rounds.txt"
  for r in $(seq 1 "$ROUNDS"); do
    kill -STOP $naive_pid; kill -CONT "$server_pid"
    ours=$(run_wrk $REST)
    kill -STOP "$server_pid"; kill -CONT $naive_pid
    naive=$(run_wrk $NAIVE)
    echo "$r $ours $naive" | tee -a "$OUT/wrk-rounds.txt" |
      awk '{ printf "round %d: cluster-serving %6d req/s p99 %6.2f ms | naive %6d req/s p99 %6.2f ms\n", $1, $2, $3, $4, $5 }'
  done
  kill -CONT "$server_pid"
  kill $naive_pid; wait $naive_pid 2>/dev/null || true
  naive_pid=""
  stop_server
  python3 - "$OUT/wrk-rounds.txt" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
ours, ours_p99, naive, naive_p99 = (statistics.median(r[i] for r in rows) for i in (1, 2, 3, 4))
print(f"median: cluster-serving {ours:,.0f} req/s (p99 {ours_p99:.2f} ms), naive {naive:,.0f} req/s (p99 {naive_p99:.2f} ms), ratio {ours / naive:.2f}x")
PY
  steal_report
fi
