#!/bin/sh
# Makes sure the mapping-template tests (tools/vtl) can run: they render
# with Apache Velocity 1.7, API Gateway's engine, which Debian packages as
# `velocity`, and compile their driver with javac. `make test` runs this
# first. When the jars are missing it installs the package if it can (root
# and apt-get); otherwise it says what to do and fails.
set -eu

jars=${STEPFORM_VELOCITY_CLASSPATH:-/usr/share/java/velocity.jar:/usr/share/java/commons-collections3.jar:/usr/share/java/commons-lang.jar}

missing_jar() {
	old_ifs=$IFS
	IFS=:
	for jar in $jars; do
		if [ ! -f "$jar" ]; then
			IFS=$old_ifs
			echo "$jar"
			return 0
		fi
	done
	IFS=$old_ifs
	return 1
}

if jar=$(missing_jar); then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		echo "$jar is missing: installing Debian's velocity package for the mapping-template tests" >&2
		export DEBIAN_FRONTEND=noninteractive
		# A fresh machine has no package lists yet.
		apt-get install -y -qq --no-install-recommends velocity >/dev/null 2>&1 ||
			{ apt-get update -qq && apt-get install -y -qq --no-install-recommends velocity >/dev/null; }
	fi
	if jar=$(missing_jar); then
		echo "$jar is missing: the mapping-template tests need Apache Velocity 1.7." >&2
		echo "Install Debian's velocity package (apt-get install velocity, as root), or set" >&2
		echo "STEPFORM_VELOCITY_CLASSPATH to the Velocity 1.7, Commons Collections 3 and Commons Lang 2 jars, separated by ':'." >&2
		exit 1
	fi
fi

if ! command -v javac >/dev/null 2>&1; then
	echo "javac is missing: the mapping-template tests need a JDK." >&2
	exit 1
fi
