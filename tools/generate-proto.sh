#!/usr/bin/env bash
# Regenerates src/ProfilingKit.Pprof/Generated/Profile.cs from Proto/profile.proto with the
# protoc that ships in the Google.Protobuf.Tools package (a developer tool; the build does not run it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=3.36.2
pkgs=${NUGET_PACKAGES:-$HOME/.nuget/packages}
tools=$pkgs/google.protobuf.tools/$version
if [ ! -d "$tools" ]; then
  tmp=$(mktemp -d)
  dotnet new classlib -o "$tmp/p" >/dev/null
  dotnet add "$tmp/p" package Google.Protobuf.Tools --version "$version" >/dev/null
fi
case "$(uname -m)" in x86_64) arch=linux_x64 ;; aarch64) arch=linux_arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;; esac
protoc=$tools/tools/$arch/protoc
chmod +x "$protoc"
src=$root/src/ProfilingKit.Pprof
"$protoc" --proto_path="$src/Proto" --proto_path="$tools/tools" --csharp_out="$src/Generated" "$src/Proto/profile.proto"
echo "wrote $src/Generated/Profile.cs"
