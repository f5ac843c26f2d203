#ifndef CPHONENUMBER_H
#define CPHONENUMBER_H

#ifdef __cplusplus
extern "C" {
#endif

/// Placeholder; the phone-number shim fills this in.
int cphonenumber_version(void);

#ifdef __cplusplus
}
#endif

#endif
