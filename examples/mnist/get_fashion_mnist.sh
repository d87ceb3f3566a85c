#!/bin/sh
# Installs Fashion-MNIST from Debian's package dataset-fashion-mnist, for the main job.
#
# As root: apt-get installs the package (/usr/share/datasets/fashion-mnist).
# As any other user: unless the package is installed, apt-get download fetches it (no root
# needed) and dpkg-deb unpacks its IDX files into the cache that
# polychain.datasets.get_fashion_mnist reads first:
#   ${POLYCHAIN_DATASET_ROOT:-${CHAINER_DATASET_ROOT:-~/.polychain/dataset}}/pfnet/chainer/fashion-mnist
# Where neither works, get_fashion_mnist downloads the files from the Fashion-MNIST mirror itself.
set -eu
package=dataset-fashion-mnist
if [ "$(id -u)" = 0 ]; then
    apt-get update && apt-get install -y "$package"
    exit
fi
if dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
    exit 0
fi
root=${POLYCHAIN_DATASET_ROOT:-${CHAINER_DATASET_ROOT:-$HOME/.polychain/dataset}}
target=$root/pfnet/chainer/fashion-mnist
if [ -f "$target/t10k-labels-idx1-ubyte.gz" ]; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get download "$package"); then
    echo "get_fashion_mnist.sh: apt-get download $package failed; the main job will download" \
         "Fashion-MNIST from its mirror instead" >&2
    exit 0
fi
dpkg-deb -x "$work/$package"_*.deb "$work/unpacked"
mkdir -p "$target"
cp "$work"/unpacked/usr/share/datasets/fashion-mnist/*.gz "$target/"
echo "Fashion-MNIST unpacked into $target"
