/* openssl.h: the OpenSSL headers that jextract reads for the bindings in io.ticketkeeper.openssl.ffm (module openssl/).
 * openssl.args names the functions and constants that are generated from them. */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
