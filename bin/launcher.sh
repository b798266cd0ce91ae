# Shared by bin/magmap and bin/magmap-bench (sourced, not run): builds if needed, then runs a main class
# with the project's classpath, Spark included, and the Java 17 flags Spark needs.
# Environment: MAGMAP_DRIVER_MEMORY (default 8g), JAVA_HOME, MAGMAP_JAVA_OPTS (extra JVM options).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/jobs/target"
CLASSPATH_FILE="$TARGET/launcher-runtime.classpath"
PROVIDED_FILE="$TARGET/launcher-provided.classpath"

magmap_needs_build() {
  [ -f "$CLASSPATH_FILE" ] || return 0
  [ -f "$PROVIDED_FILE" ] || return 0
  [ -d "$TARGET/classes" ] || return 0
  # Any source, resource or pom newer than the classpath file written by the last build?
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/pipeline" "$ROOT/jobs" \
           -path '*/target' -prune -o -type f -newer "$CLASSPATH_FILE" -print -quit)" ]
}

# Whole GiB in a JVM size such as 8g, 8192m or 8G (rounded up).
magmap_gib() {
  local v="${1,,}"
  case "$v" in
    *g) echo "${v%g}" ;;
    *m) echo $(( (${v%m} + 1023) / 1024 )) ;;
    *) echo $(( (v + 1073741823) / 1073741824 )) ;;
  esac
}

magmap_run_main() {
  local main="$1"; shift
  # Local Spark runs one task per core in this JVM; ND4J's OpenMP pool in every task would oversubscribe the
  # cores (measured on 2 cores: Spark CNN training 131 samples/s with 1 thread per task, 100 with 2).
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  # OpenMP threads that spin between ND4J ops take the cores from everything else (ONNX Runtime, Spark's own
  # threads, the other ND4J calls of a step): passive waiting made one-JVM DL4J training 1.2x (cnn) to 1.5x
  # (cresnet) faster on 2 cores with 2 threads (docs/benchmarks.md#networks-beside-pytorch).
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  if magmap_needs_build; then
    echo "magmap: building (first run or sources changed) ..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true -Dmagmap.thin=true package) >&2
  fi
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  local -a jvm_flags extra
  mapfile -t jvm_flags < <(grep -v '^#' "$ROOT/bin/jvm-flags")
  # shellcheck disable=SC2206
  extra=(${MAGMAP_JAVA_OPTS:-})
  # ND4J's tensors live off-heap and are freed when the GC collects their Java handles; with a large heap
  # that can be too late (a cresnet run grew to 19 GiB resident and was OOM-killed). JavaCPP's limits make it
  # collect when off-heap use reaches MAGMAP_OFFHEAP_MEMORY (default: as large as the heap) and fail clearly,
  # instead of the kernel killing the JVM, beyond heap + off-heap + 2 GiB of native slack.
  local heap="${MAGMAP_DRIVER_MEMORY:-8g}" offheap="${MAGMAP_OFFHEAP_MEMORY:-${MAGMAP_DRIVER_MEMORY:-8g}}"
  local physical=$(( $(magmap_gib "$heap") + $(magmap_gib "$offheap") + 2 ))g
  exec "$java" -Xmx"$heap" "${jvm_flags[@]}" "${extra[@]}" \
    -Dorg.bytedeco.javacpp.maxbytes="$offheap" -Dorg.bytedeco.javacpp.maxphysicalbytes="$physical" \
    -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$TARGET/classes:$(cat "$CLASSPATH_FILE"):$(cat "$PROVIDED_FILE")" \
    "$main" "$@"
}
