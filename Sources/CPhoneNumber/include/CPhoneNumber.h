#ifndef CPHONENUMBER_H
#define CPHONENUMBER_H

#ifdef __cplusplus
extern "C" {
#endif

/// What libphonenumber and ICU say about one valid number; every field is a NUL-terminated UTF-8 string.
/// The sizes leave ample room: a field that would not fit fails the whole lookup instead of truncating it.
struct cphonenumber_info {
    /// ISO 3166-1 alpha-2 region code ("US"), or "001" for non-geographic numbers.
    char region_code[8];
    /// Country calling code without "+" ("1").
    char calling_code[8];
    /// ICU's English display name of the region ("United States").
    char country_name[128];
    /// The offline geocoder's English description; empty when it has none.
    char location[256];
    /// NATIONAL format ("(415) 555-2671").
    char national_format[64];
    /// E164 format with its leading "+" ("+14155552671").
    char e164[32];
};

/// Describes `utf8_number` into `out`.
/// Returns 1 when the number starts with "+", parses and is valid; otherwise 0, and `out` is zeroed.
/// Safe for any NUL-terminated input and from any thread.
int cphonenumber_describe(const char *utf8_number, struct cphonenumber_info *out);

#ifdef __cplusplus
}
#endif

#endif
