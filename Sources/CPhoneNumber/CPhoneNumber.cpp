#include "CPhoneNumber.h"

extern "C" int cphonenumber_version(void) { return 1; }
