/* A stand-in for Windows' System32\icuuc.dll, for the Wine test prefix only.
 *
 * Windows 10 (1703+) and 11 ship icuuc.dll; Wine does not. Qt6Core.dll imports the 20
 * ucnv_* converter functions below from it (x86_64-w64-mingw32-objdump -p Qt6Core.dll).
 * Declarant Desk uses no Qt text codecs, so ucnv_open fails cleanly (Qt then treats the
 * codec as unavailable) and the rest are never reached with a converter; they do nothing.
 * Built with Debian's mingw-w64 by tests/wine; never shipped in the installer.
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
typedef int UErrorCode;          /* U_ZERO_ERROR = 0, U_FILE_ACCESS_ERROR = 4 */
typedef uint16_t UChar;
typedef struct UConverter UConverter;
typedef void (*UConverterCallback)(void);

static void fail(UErrorCode *err) { if (err && *err <= 0) *err = 4; }

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(UConverter *cnv) { (void)cnv; }
EXPORT void ucnv_reset(UConverter *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const UConverter *cnv, UErrorCode *err) { (void)cnv; fail(err); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{ (void)name; (void)standard; fail(err); return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT void ucnv_getToUCallBack(const UConverter *cnv, UConverterCallback *action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const UConverter *cnv, UConverterCallback *action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(UConverter *cnv, UConverterCallback n, const void *nc, UConverterCallback *o,
                                const void **oc, UErrorCode *err)
{ (void)cnv; (void)n; (void)nc; (void)o; (void)oc; fail(err); }
EXPORT void ucnv_setFromUCallBack(UConverter *cnv, UConverterCallback n, const void *nc, UConverterCallback *o,
                                  const void **oc, UErrorCode *err)
{ (void)cnv; (void)n; (void)nc; (void)o; (void)oc; fail(err); }
EXPORT void ucnv_toUnicode(UConverter *cnv, UChar **t, const UChar *tl, const char **s, const char *sl,
                           int32_t *off, int8_t flush, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush; fail(err); }
EXPORT void ucnv_fromUnicode(UConverter *cnv, char **t, const char *tl, const UChar **s, const UChar *sl,
                             int32_t *off, int8_t flush, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush; fail(err); }
EXPORT int32_t ucnv_toUCountPending(const UConverter *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *s, int32_t n, int32_t off, UErrorCode *err)
{ (void)args; (void)s; (void)n; (void)off; fail(err); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **s, const UChar *sl, int32_t off, UErrorCode *err)
{ (void)args; (void)s; (void)sl; (void)off; fail(err); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const UChar *u, int32_t n, int32_t cp,
                                            int reason, UErrorCode *err)
{ (void)ctx; (void)args; (void)u; (void)n; (void)cp; (void)reason; (void)err; }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *c, int32_t n, int reason,
                                          UErrorCode *err)
{ (void)ctx; (void)args; (void)c; (void)n; (void)reason; (void)err; }
