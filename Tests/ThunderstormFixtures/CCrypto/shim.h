// OpenSSL's digest API for the test fixture's md5/sha1/sha256 (libssl-dev).
#include <openssl/evp.h>
