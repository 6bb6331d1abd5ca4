#!/usr/bin/env bash
# Cluster Serving benchmarks of docs/benchmarks.md: dense128 records/s end to end through Redis and
# through Kafka at modelParallelism 1 and 2 (`cluster bench`, median of 3 runs), and REST-over-queue
# latency (`serve --backend redis://...`) against the same REST API served directly.
# The machine should be otherwise idle.
#
#   scripts/cluster-benchmarks.sh                  # everything (~17 min on 2 cores)
#   scripts/cluster-benchmarks.sh redis kafka      # a subset of: redis kafka latency
#   RECORDS=100000 RUNS=5 scripts/cluster-benchmarks.sh redis
#
# The warm-up is long on purpose: the job, the broker and the load generator are three JVMs whose JIT
# compilers share the two cores. The job's (Flink, Kafka clients, our code: ~12k compiled methods)
# still spent ~60% of a core compiling after 1M records, and ~10% after 3M (jstat -compiler); Kafka
# p2 runs measured 19-36.5k records/s after a 1M warm-up and 30.5-37.7k after 3M (2026-11-22, with
# `cluster bench` no longer keeping the warm-up's results).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CS=cluster-serving-cli/target/cluster-serving/bin/cluster-serving
# The launcher rebuilds the distribution when the sources changed since its last build.
./cluster-serving --version >/dev/null
export CS_CACHE_DIR="${CS_CACHE_DIR:-$PWD/.cache}"
OUT=target/cluster-benchmarks
rm -rf "$OUT"
mkdir -p "$OUT"
RECORDS=${RECORDS:-200000}
WARMUP_RECORDS=${WARMUP_RECORDS:-3000000}
RUNS=${RUNS:-3}
PARALLELISM=${PARALLELISM:-1 2}
REDIS_PORT=16400
REST=18811
SELECTED=("$@")
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=(redis kafka latency)
wants() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# stop PID: SIGTERM (the job cancels itself and stops Flink), then wait for it.
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

repo=$OUT/models
"$CS" examples --output "$repo" >/dev/null
# The job micro-batches by itself (batchSize); the example's online-serving batching block would cap
# its batches at 32 rows.
rm -f "$repo/dense128/model.yaml"
# One dense128 row of 128 random numbers, the TF Serving row format.
awk 'BEGIN { srand(7); printf "{\"instances\":[["; for (i = 0; i < 128; i++) printf "%s%.6f", (i ? "," : ""), rand() * 2 - 1; print "]]}" }' \
  >"$OUT/dense128.json"

# job CONFIG LOG: starts `cluster start` in the background; sets job_pid.
job() {
  "$CS" cluster start --config "$1" >"$OUT/$2" 2>&1 &
  job_pid=$!
  pids+=("$job_pid")
}

source scripts/steal.sh

bench() {
  steal_start
  "$CS" cluster bench --config "$1" --file "$OUT/dense128.json" --records "$RECORDS" \
    --warmup-records "$WARMUP_RECORDS" --runs "$RUNS"
  steal_report
}

if wants redis || wants latency; then
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  for _ in $(seq 1 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

redis_config() { # PARALLELISM FILE
  cat >"$2" <<CONF
modelPath: $PWD/$repo/dense128
jobName: bench_stream
redisUrl: localhost:$REDIS_PORT
modelParallelism: $1
batchSize: 256
webUiPort: 0
CONF
}

if wants redis; then
  for p in $PARALLELISM; do
    echo "== dense128 through Redis Streams, modelParallelism $p"
    redis-cli -p $REDIS_PORT flushall >/dev/null
    redis_config "$p" "$OUT/redis-p$p.yaml"
    job "$OUT/redis-p$p.yaml" "job-redis-p$p.log"
    bench "$OUT/redis-p$p.yaml"
    stop "$job_pid"
  done
fi

if wants kafka; then
  cp_file=$OUT/kafka.classpath
  mvn -B -q -o -Dstyle.color=never test-compile dependency:build-classpath -pl cluster-serving-queue \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
  q=cluster-serving-queue/target
  # Two partitions, so that both subtasks of parallelism 2 read.
  java -Xmx1g -cp "$q/test-classes:$q/classes:$(cat "$cp_file")" io.clusterserving.queue.testing.StandaloneKafka \
    "$OUT/kafka.address" 2 bench_stream bench_stream-results >"$OUT/kafka.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 120); do [ -f "$OUT/kafka.address" ] && break; sleep 0.5; done
  kafka=$(cat "$OUT/kafka.address")
  for p in $PARALLELISM; do
    echo "== dense128 through Kafka (exactly-once sink, checkpoint every 1 s), modelParallelism $p"
    cat >"$OUT/kafka-p$p.yaml" <<CONF
modelPath: $PWD/$repo/dense128
jobName: bench_stream
queueUsed: kafka
kafkaUrl: $kafka
modelParallelism: $p
batchSize: 256
webUiPort: 0
checkpointIntervalMillis: 1000
checkpointDir: $PWD/$OUT/checkpoints-p$p
CONF
    job "$OUT/kafka-p$p.yaml" "job-kafka-p$p.log"
    bench "$OUT/kafka-p$p.yaml"
    stop "$job_pid"
  done
fi

if wants latency; then
  echo "== REST over the Redis queue (serve --backend, job at modelParallelism 2) vs REST served directly"
  redis-cli -p $REDIS_PORT flushall >/dev/null
  redis_config 2 "$OUT/latency.yaml"
  job "$OUT/latency.yaml" job-latency.log
  # A first answer through the queue shows the job is serving.
  "$CS" enqueue --redis "redis://127.0.0.1:$REDIS_PORT" --job bench_stream --uri probe --file "$OUT/dense128.json" \
    --wait 120s >/dev/null
  for mode in queue direct; do
    if [ "$mode" = queue ]; then
      "$CS" serve --backend "redis://127.0.0.1:$REDIS_PORT/bench_stream" --rest_api_port=$REST --port=0 \
        --rest_api_host=127.0.0.1 >"$OUT/serve-$mode.log" 2>&1 &
    else
      stop "$job_pid"
      "$CS" serve --model_name=dense128 --model_base_path="$PWD/$repo/dense128" --rest_api_port=$REST --port=0 \
        --rest_api_host=127.0.0.1 >"$OUT/serve-$mode.log" 2>&1 &
    fi
    serve_pid=$!
    pids+=("$serve_pid")
    for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$REST/v2/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
    echo "-- $mode"
    steal_start
    "$CS" bench --url "http://127.0.0.1:$REST" --model dense128 --protocol rest \
      --request-file "$OUT/dense128.json" --concurrency 1,16 --runs "$RUNS" --duration 10s --warmup 3s
    steal_report
    stop "$serve_pid"
  done
fi
