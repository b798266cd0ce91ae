# Sourced by bin/magmap-submit and bin/magmap-standalone when no Spark distribution is installed: Spark's own
# jars as Maven resolves them (bin/spark-runtime/pom.xml) stand in for one. Sets
#   SPARK_CP_FILE  a file holding their classpath, resolved first when missing or older than the poms;
#   SPARK_HOME     jobs/target/spark-home, whose jars/ links to each of them: standalone workers start
#                  executors and cluster-mode drivers from $SPARK_HOME/jars, and YARN ships it to containers.
SPARK_CP_FILE="$ROOT/jobs/target/spark-runtime.classpath"
SPARK_HOME="$ROOT/jobs/target/spark-home"
if [ ! -s "$SPARK_CP_FILE" ] || [ "$ROOT/pom.xml" -nt "$SPARK_CP_FILE" ] \
    || [ "$ROOT/bin/spark-runtime/pom.xml" -nt "$SPARK_CP_FILE" ] || [ ! -d "$SPARK_HOME/jars" ]; then
  mkdir -p "$ROOT/jobs/target"
  mvn -B -q -f "$ROOT/bin/spark-runtime/pom.xml" dependency:build-classpath \
    -Dmdep.includeScope=compile -Dmdep.outputFile="$SPARK_CP_FILE" >&2
  rm -rf "$SPARK_HOME.new"
  mkdir -p "$SPARK_HOME.new/jars"
  n=0
  while read -r jar || [ -n "$jar" ]; do
    n=$((n + 1))
    ln -s "$jar" "$SPARK_HOME.new/jars/$n-$(basename "$jar")"
  done < <(tr ':' '\n' < "$SPARK_CP_FILE")
  rm -rf "$SPARK_HOME"
  mv "$SPARK_HOME.new" "$SPARK_HOME"
fi
# Spark's launcher reads the Scala version from a source build's directories unless told.
SPARK_SCALA_VERSION="$(tr ':' '\n' < "$SPARK_CP_FILE" | sed -n 's|.*/spark-core_\([0-9.]*\)-.*|\1|p' | head -n 1)"
export SPARK_HOME SPARK_SCALA_VERSION
