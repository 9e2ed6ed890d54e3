# tests/lib/build.sh: the one build step of the scripts that need the project built (tests/drill,
# tests/bench/*, tests/package-test), sourced by them. It never runs `mvn install`: everything
# comes from the reactor's target/ directories, so ~/.m2 only ever holds Maven Central's jars.
#
#   vcr_mvn ARGS...          mvn -B -q ARGS from the repository root: offline when the local
#                            repository holds what the build needs, else (a first build on this
#                            machine) online, saying so in one line. The offline attempt's output
#                            is shown only when it failed for another reason (a compile error).
#   vcr_build [MARKER...]    builds (mvn -B -q package -DskipTests) when the distribution, the
#                            drill's and the benchmarks' classes, the .deb or any MARKER is missing,
#                            or a source file changed since the last vcr_build (or was never built
#                            by it); prints one line when it builds.
#                            Returns mvn's exit code (0 when nothing needed building).
# Extra Maven options (e.g. -Dmaven.repo.local=/tmp/m2) go in MAVEN_ARGS (Maven 3.9+) or, for
# Maven 3.8, as -D system properties in MAVEN_OPTS.

vcr_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

vcr_mvn() {
    local log rc
    log=$(mktemp)
    (cd "$vcr_root" && mvn -B -q -o "$@") >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && grep -qE 'in offline mode|offline mode and|has not been downloaded from it before' "$log"; then
        echo "[build] the local Maven repository lacks some of what the build needs: fetching it (online build)" >&2
        (cd "$vcr_root" && mvn -B -q "$@") >"$log" 2>&1
        rc=$?
    fi
    [ $rc -eq 0 ] || cat "$log" >&2
    rm -f "$log"
    return $rc
}

# vcr_stale FILE: FILE is missing or some source (module sources, poms, templates, launchers,
# runbooks and agent snippet, packaging files) is newer than it.
vcr_stale() {
    [ -e "$1" ] || return 0
    [ -n "$(find "$vcr_root" -path "$vcr_root/*/target" -prune -o -path "$vcr_root/.git" -prune -o \
        \( -path '*/src/main/*' -o -path '*/src/test/*' -o -path '*/src/deb/*' -o -path '*/src/assembly/*' \
        -o -name pom.xml -o -path "$vcr_root/zabbix-templates/*" -o -path "$vcr_root/bin/*" \
        -o -path "$vcr_root/recovery-scripts/*" \) -type f -newer "$1" -print -quit 2>/dev/null)" ]
}

vcr_version() { # the project's version, from the root pom (the first <version> after the parent-less header)
    sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$vcr_root/pom.xml" | head -n 1
}

# The stamp a successful vcr_build leaves: Maven leaves an up-to-date class file's time alone, so
# the sources are compared with the last build, and the outputs only checked for being there.
vcr_stamp=$vcr_root/dist/target/.vcr-build-stamp

vcr_build() {
    local f why=
    for f in "$vcr_root/dist/target/vcrecovery/lib/vcr.classpath" \
        "$vcr_root/dist/target/vcrecovery_$(vcr_version)_all.deb" \
        "$vcr_root/tests/target/classes/org/vcrecovery/drill/Drill.class" \
        "$vcr_root/tests/target/test-classes/org/vcrecovery/it/dns/DnsBench.class" \
        "$vcr_root/trap-listener/target/test-classes/org/vcrecovery/listener/bench/TrapBench.class" "$@"; do
        [ -e "$f" ] || { why="${f#"$vcr_root"/} is missing"; break; }
    done
    [ -n "$why" ] || ! vcr_stale "$vcr_stamp" || why="the sources changed since the last build"
    [ -n "$why" ] || return 0
    echo "[build] mvn -B -q package -DskipTests: $why" >&2
    vcr_mvn package -DskipTests && touch "$vcr_stamp"
}
