#!/bin/sh
# prebuildify calls its --node-gyp tool with node-gyp arguments (--target=<node version>, …) that
# cmake-js would misread as a CMake target; the build itself needs none of them.
exec npx --no-install cmake-js rebuild
