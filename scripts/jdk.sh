# Sourced by ./octet and scripts/test: sets JAVA_HOME to a JDK 25 (JAVA_HOME if it is one, else the first under
# /usr/lib/jvm or /opt), whatever `java` comes first on PATH. Fails with a clear message where there is none.
octet_java_version() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }

octet_find_jdk25() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(octet_java_version "$JAVA_HOME")" = 25 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  local d
  for d in /usr/lib/jvm/*25* /opt/java/*25* /opt/jdk*25*; do
    if [ -x "$d/bin/javac" ] && [ "$(octet_java_version "$d")" = 25 ]; then echo "$d"; return 0; fi
  done
  return 1
}

if ! JAVA_HOME="$(octet_find_jdk25)"; then
  echo "octet: error: no JDK 25 found (set JAVA_HOME to a JDK 25, or install one under /usr/lib/jvm)" >&2
  exit 1
fi
export JAVA_HOME
