# aarch64-linux-gnu.cmake: cross-compiles for linux-aarch64 with Debian's gcc-aarch64-linux-gnu against the arm64
# multiarch packages (dpkg --add-architecture arm64; libssl-dev:arm64), whose headers and libraries the cross
# compiler finds under /usr/include/aarch64-linux-gnu and /usr/lib/aarch64-linux-gnu by itself. CTest runs the
# tests under qemu-user:
#
#   cmake -S . -B target/aarch64 --toolchain cmake/toolchains/aarch64-linux-gnu.cmake
#   cmake --build target/aarch64 -j && ctest --test-dir target/aarch64

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# pkg-config (which FindOpenSSL asks first) must describe the arm64 packages, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")

# The root qemu-user takes the arm64 dynamic loader and libraries from: with Debian's multiarch packages that is /
# (libc6:arm64 puts /lib/ld-linux-aarch64.so.1 there); a sysroot unpacked elsewhere works as well.
set(TK_QEMU_ROOT "/" CACHE PATH "The arm64 root that qemu-user loads the dynamic loader and libraries from (-L)")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L "${TK_QEMU_ROOT}")
