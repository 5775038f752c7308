#!/bin/sh
# build.sh: ClusterFuzzLite's build is OSS-Fuzz's; run from the repository
# root (the Dockerfile's WORKDIR), so there is one build script, not two.
exec sh oss-fuzz/build.sh
