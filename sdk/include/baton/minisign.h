/*
 * baton/minisign.h - minisign keys and signatures, byte-compatible with the
 * reference minisign (checked against minisign 0.11).
 *
 * Owns: Ed25519 key pairs with an 8-byte key id, the public key (bare base64
 * string and the two-line .pub file), the secret key file (unencrypted, or
 * encrypted with scrypt as minisign writes it), prehashed ("ED") signatures
 * over BLAKE2b-512 of the content with untrusted and trusted comments, the
 * four-line .minisig text, and strict verification.
 *
 * Does not own: deciding which keys are trusted, interpreting the content of a
 * trusted comment (the package format does that), prompting for passwords.
 *
 * Formats (all binary fields little-endian, base64 with padding, standard
 * alphabet, as minisign writes them):
 *   public key  = "Ed" | keynum(8) | pk(32)
 *   secret key  = "Ed" | kdf("Sc" or 00 00) | "B2" | salt(32) | opslimit(8) |
 *                 memlimit(8) | [keynum(8) | sk(64) | checksum(32)]
 *                 where the bracket is XORed with scrypt(password) output when
 *                 encrypted and checksum = BLAKE2b-256("Ed" | keynum | sk);
 *                 an unencrypted key has kdf, salt, limits and checksum zero.
 *   signature   = "ED" | keynum(8) | Ed25519(BLAKE2b-512(content))
 *   global sig  = Ed25519(signature[10..74] | trusted comment bytes)
 *   .minisig    = "untrusted comment: <u>\n" base64(signature) "\n"
 *                 "trusted comment: <t>\n" base64(global sig) "\n"
 *
 * Verification accepts only the prehashed "ED" algorithm (the legacy "Ed"
 * pure-Ed25519 signatures are refused), canonical base64 only, and checks in
 * order: syntax, algorithm, key id, content signature, trusted comment.
 *
 * Secret keys live in sodium_malloc memory (guarded, locked) and are wiped
 * when freed. All functions return 0 or a negative BATON_E* code, with detail
 * in err (may be NULL) on failure; they never print.
 */
#ifndef BATON_MINISIGN_H
#define BATON_MINISIGN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_MINISIGN_KEYNUM_BYTES   8
#define BATON_MINISIGN_PK_BYTES       32
#define BATON_MINISIGN_PREHASH_BYTES  64
#define BATON_MINISIGN_SIG_BYTES      64
#define BATON_MINISIGN_PUBKEY_B64_LEN 56   /* base64 of 42 bytes, no NUL */
#define BATON_MINISIGN_COMMENT_MAX    1024 /* max untrusted comment bytes, as minisign */
#define BATON_MINISIGN_TRUSTED_MAX    8192 /* max trusted comment bytes, as minisign */
#define BATON_MINISIGN_KEYID_HEX_LEN  16   /* at most; "%" PRIX64 of the key id */

/* minisign's default scrypt cost for encrypted secret keys
 * (crypto_pwhash_scryptsalsa208sha256 OPSLIMIT/MEMLIMIT_SENSITIVE). */
#define BATON_MINISIGN_OPSLIMIT_DEFAULT 33554432ULL
#define BATON_MINISIGN_MEMLIMIT_DEFAULT 1073741824ULL

typedef struct baton_minisign_pubkey {
    uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES];
    uint8_t pk[BATON_MINISIGN_PK_BYTES];
} baton_minisign_pubkey;

/* Opaque; lives in sodium_malloc memory. */
typedef struct baton_minisign_seckey baton_minisign_seckey;

/* A parsed .minisig (syntax checked, nothing verified yet). */
typedef struct baton_minisign_sig {
    uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES];
    uint8_t sig[BATON_MINISIGN_SIG_BYTES];
    uint8_t global_sig[BATON_MINISIGN_SIG_BYTES];
    char untrusted_comment[BATON_MINISIGN_COMMENT_MAX + 1];
    char trusted_comment[BATON_MINISIGN_TRUSTED_MAX + 1];
} baton_minisign_sig;

/* Opaque incremental BLAKE2b-512 state for the prehash. */
typedef struct baton_minisign_prehash baton_minisign_prehash;

/* ---- keys ---------------------------------------------------------------- */

/* New key pair with a random 8-byte key id. Caller frees *out with
 * baton_minisign_seckey_free. pub may be NULL. */
int baton_minisign_keygen(baton_minisign_seckey **out, baton_minisign_pubkey *pub, char *err,
                          size_t errlen);

/* Wipes and frees; NULL is allowed. */
void baton_minisign_seckey_free(baton_minisign_seckey *sk);

/* The public half of a secret key. */
void baton_minisign_seckey_public(const baton_minisign_seckey *sk, baton_minisign_pubkey *pub);

/* Key id as minisign prints it: upper-case hex of the key id read as a
 * little-endian 64-bit number, without leading zeros, NUL-terminated. */
void baton_minisign_keyid_hex(const uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES],
                              char out[BATON_MINISIGN_KEYID_HEX_LEN + 1]);

/* Secret key file text. password NULL writes an unencrypted key (as
 * `minisign -G -W`); otherwise scrypt-encrypted with the given limits
 * (0 for both means the minisign defaults above). untrusted_comment NULL
 * means minisign's "minisign encrypted secret key" (it writes that for both).
 * *out is NUL-terminated; caller frees it with baton_minisign_text_free,
 * which wipes it. */
int baton_minisign_seckey_encode(const baton_minisign_seckey *sk, const char *password,
                                 uint64_t opslimit, uint64_t memlimit,
                                 const char *untrusted_comment, char **out, size_t *outlen,
                                 char *err, size_t errlen);

/* Parses secret key file text. password may be NULL for an unencrypted key;
 * an encrypted key without password is BATON_EDENIED; a wrong password is
 * BATON_ECRYPTO (the checksum does not match). Refuses scrypt limits above
 * 2^32 ops / 4 GiB memory (BATON_ELIMIT). Caller frees *out with
 * baton_minisign_seckey_free. */
int baton_minisign_seckey_decode(const char *text, size_t len, const char *password,
                                 baton_minisign_seckey **out, char *err, size_t errlen);

/* 1 if the secret key text is password-encrypted, 0 if not, <0 if malformed. */
int baton_minisign_seckey_is_encrypted(const char *text, size_t len);

/* File variants: save creates the file with mode 0600 and fails with
 * BATON_EEXIST if it exists (unless overwrite is non-zero). */
int baton_minisign_seckey_save(const baton_minisign_seckey *sk, const char *path,
                               const char *password, uint64_t opslimit, uint64_t memlimit,
                               int overwrite, char *err, size_t errlen);
int baton_minisign_seckey_load(const char *path, const char *password, baton_minisign_seckey **out,
                               char *err, size_t errlen);

/* Bare base64 public key (what `minisign -P` takes), NUL-terminated. */
void baton_minisign_pubkey_encode(const baton_minisign_pubkey *pub,
                                  char out[BATON_MINISIGN_PUBKEY_B64_LEN + 1]);

/* Parses a bare base64 public key; surrounding whitespace is not allowed. */
int baton_minisign_pubkey_decode(const char *b64, size_t len, baton_minisign_pubkey *pub, char *err,
                                 size_t errlen);

/* Public key file text: "untrusted comment: minisign public key <ID>\n<b64>\n"
 * (or the given comment). Caller frees *out with baton_minisign_text_free. */
int baton_minisign_pubkey_file_encode(const baton_minisign_pubkey *pub,
                                      const char *untrusted_comment, char **out, size_t *outlen);

/* Parses public key file text (two lines, the first an untrusted comment). */
int baton_minisign_pubkey_file_decode(const char *text, size_t len, baton_minisign_pubkey *pub,
                                      char *err, size_t errlen);

int baton_minisign_pubkey_save(const baton_minisign_pubkey *pub, const char *path, int overwrite,
                               char *err, size_t errlen);
int baton_minisign_pubkey_load(const char *path, baton_minisign_pubkey *pub, char *err,
                               size_t errlen);

/* ---- prehash (BLAKE2b-512 of the content, fed in chunks) ------------------ */

/* Caller frees with baton_minisign_prehash_free. */
int baton_minisign_prehash_new(baton_minisign_prehash **out);
int baton_minisign_prehash_update(baton_minisign_prehash *h, const void *data, size_t len);
/* Writes the 64-byte prehash; the state is then reset for reuse. */
int baton_minisign_prehash_final(baton_minisign_prehash *h,
                                 uint8_t out[BATON_MINISIGN_PREHASH_BYTES]);
void baton_minisign_prehash_free(baton_minisign_prehash *h);

/* ---- signing ------------------------------------------------------------- */

/* Signs a prehash and writes the four-line .minisig text. Comments must be a
 * single line (no CR/LF) of at most BATON_MINISIGN_COMMENT_MAX (untrusted)
 * or BATON_MINISIGN_TRUSTED_MAX (trusted) bytes.
 * untrusted_comment NULL means "signature from minisign secret key";
 * trusted_comment must not be NULL. *out is NUL-terminated; caller frees with
 * baton_minisign_text_free. */
int baton_minisign_sign_prehashed(const baton_minisign_seckey *sk,
                                  const uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES],
                                  const char *untrusted_comment, const char *trusted_comment,
                                  char **out, size_t *outlen, char *err, size_t errlen);

/* Same, hashing a buffer / a file (streamed) first. */
int baton_minisign_sign_buffer(const baton_minisign_seckey *sk, const void *data, size_t len,
                               const char *untrusted_comment, const char *trusted_comment,
                               char **out, size_t *outlen, char *err, size_t errlen);
int baton_minisign_sign_file(const baton_minisign_seckey *sk, const char *path,
                             const char *untrusted_comment, const char *trusted_comment, char **out,
                             size_t *outlen, char *err, size_t errlen);

/* ---- verification -------------------------------------------------------- */

/* Strict syntax check of .minisig text into *sig: exactly four LF-terminated
 * lines (a missing final newline is accepted, as minisign does), the comment
 * prefixes, canonical base64 of the right lengths, algorithm "ED" (the
 * legacy "Ed" and others are BATON_EUNSUPP; other defects BATON_EINVAL).
 * Nothing cryptographic is checked yet. */
int baton_minisign_sig_parse(const char *text, size_t len, baton_minisign_sig *sig, char *err,
                             size_t errlen);

/* Verifies a parsed signature against a prehash: key id equals pub's
 * (BATON_EINVAL otherwise), content signature, then the global signature over
 * the trusted comment (both BATON_ECRYPTO on failure). On 0 the trusted
 * comment in sig may be used. */
int baton_minisign_verify_prehashed(const baton_minisign_pubkey *pub, const baton_minisign_sig *sig,
                                    const uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES], char *err,
                                    size_t errlen);

/* Parse + hash + verify in one call. trusted_comment (may be NULL) receives
 * the verified trusted comment, NUL-terminated, truncated to tclen. */
int baton_minisign_verify_buffer(const baton_minisign_pubkey *pub, const void *data, size_t len,
                                 const char *sigtext, size_t siglen, char *trusted_comment,
                                 size_t tclen, char *err, size_t errlen);
int baton_minisign_verify_file(const baton_minisign_pubkey *pub, const char *path,
                               const char *sigtext, size_t siglen, char *trusted_comment,
                               size_t tclen, char *err, size_t errlen);

/* Wipes (up to its NUL) and frees any text this module hands out (key
 * files, .minisig text). Do not pass it memory from elsewhere. */
void baton_minisign_text_free(char *text);

#ifdef __cplusplus
}
#endif

#endif
