# x86_64-w64-mingw32.cmake: cross-compiles the shim for windows-x86_64 with Debian's mingw-w64. OpenSSL for Windows
# is not a Debian package, so the caller names its headers and import libraries (OPENSSL_INCLUDE_DIR,
# OPENSSL_SSL_LIBRARY, OPENSSL_CRYPTO_LIBRARY); bin/lib/platforms.sh makes import libraries for libssl-3-x64.dll and
# libcrypto-3-x64.dll from .def files. The tests cannot run here: configure with -DBUILD_TESTING=OFF.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
