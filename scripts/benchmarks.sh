#!/usr/bin/env bash
# Runs the benchmark matrix of docs/benchmarks.md on this machine and prints its tables.
# Every figure is the median of --runs 3 measured windows (bench reports the median run).
# The machine should be otherwise idle; server and load generator run at the same priority.
#
#   scripts/benchmarks.sh                 # everything (~15 min on 2 cores)
#   scripts/benchmarks.sh dense128 mlp    # a subset: dense128 grpc mlp resnet
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
wants() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

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
