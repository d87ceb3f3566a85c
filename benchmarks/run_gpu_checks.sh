#!/usr/bin/env bash
# The GPU checks in one run, for a machine with one NVIDIA GPU, CuPy and JAX with CUDA:
# the unit tests and every conformance cell on @cupy:0 and @jax:gpu:0 (spread over the
# CPU cores with pytest-xdist; the matrix is written as OUT/conformance-gpu.md), then the
# MLP and convnet benchmarks on both devices.
#
# Usage: benchmarks/run_gpu_checks.sh OUT [WHEELS]
#   OUT     folder for the reports
#   WHEELS  optional folder of wheels installed first without an index (for a machine
#           without network: array-api-compat, pytest-xdist, execnet, tqdm, h5py)
# GPU_TEST_DEVICES (default @cupy:0,@jax:gpu:0) are the devices the tests run on;
# TEST_SECONDS (default 300) bounds the pytest run; it is interrupted (SIGINT) so that
# the report of the cells checked so far is still written.
set -u
out=${1:?usage: run_gpu_checks.sh OUT [WHEELS]}
wheels=${2:-}
mkdir -p "$out"
export XLA_PYTHON_CLIENT_PREALLOCATE=false PIP_DISABLE_PIP_VERSION_CHECK=1
python=${PYTHON:-python3}
if [ -n "$wheels" ]; then
    "$python" -m pip install -q --no-index --no-deps --target /tmp/polychain-site "$wheels"/*.whl
    export PYTHONPATH=/tmp/polychain-site${PYTHONPATH:+:$PYTHONPATH}
fi
"$python" -m pip install -q --no-index --no-deps --no-build-isolation -e . -e ./conformance \
    2>&1 | tail -n 3
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > "$out/gpu.txt"
"$python" -m polychain backends | tee "$out/backends.txt"

workers=$(( $(nproc) > 2 ? $(nproc) - 2 : 1 ))
start=$SECONDS
POLYCHAIN_TEST_DEVICES=${GPU_TEST_DEVICES:-@cupy:0,@jax:gpu:0} timeout -s INT -k 30 "${TEST_SECONDS:-300}" \
    "$python" -m pytest tests -o addopts=-ra -n "$workers" -q -p no:cacheprovider \
    --conformance-report "$out/conformance-gpu.md" > "$out/pytest.txt" 2>&1
echo "pytest: exit $?, $(( SECONDS - start )) s, $workers workers" | tee -a "$out/pytest.txt"
tail -n 3 "$out/pytest.txt"
sed -n '/^## Summary/,/^## Matrix/p' "$out/conformance-gpu.md" 2>/dev/null | grep '^|'

for bench in bench_mlp bench_convnet; do
    timeout -k 5 60 "$python" "benchmarks/$bench.py" --device @cupy:0 @jax:gpu:0 --repeat 5 \
        > "$out/$bench.txt" 2>&1
    cat "$out/$bench.txt"
done
