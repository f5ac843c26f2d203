#include "CPhoneNumber.h"

#include <cstring>
#include <mutex>
#include <string>

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// libphonenumber refuses longer input anyway; stopping early keeps junk from being copied into a std::string.
constexpr size_t kMaxInputLength = 250;

// The geocoder loads its prefix maps lazily on first use per country, so one shared instance
// (never destroyed, to dodge static destruction order at exit) behind a lock serves every caller.
std::mutex geocoderMutex;
PhoneNumberOfflineGeocoder *sharedGeocoder = nullptr;

std::string describeLocation(const PhoneNumber &number) {
    std::lock_guard<std::mutex> lock(geocoderMutex);
    if (sharedGeocoder == nullptr) {
        sharedGeocoder = new PhoneNumberOfflineGeocoder();
    }
    return sharedGeocoder->GetDescriptionForNumber(number, icu::Locale::getEnglish());
}

std::string englishCountryName(const std::string &regionCode) {
    icu::UnicodeString displayName;
    icu::Locale("", regionCode.c_str()).getDisplayCountry(icu::Locale::getEnglish(), displayName);
    std::string utf8;
    displayName.toUTF8String(utf8);
    return utf8;
}

template <size_t Capacity>
bool copyField(char (&destination)[Capacity], const std::string &source) {
    if (source.size() >= Capacity || source.find('\0') != std::string::npos) {
        return false;
    }
    std::memcpy(destination, source.c_str(), source.size() + 1);
    return true;
}

bool describe(const char *utf8Number, cphonenumber_info *out) {
    if (utf8Number[0] != '+' || strnlen(utf8Number, kMaxInputLength + 1) > kMaxInputLength) {
        return false;
    }
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(utf8Number, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR || !util.IsValidNumber(number)) {
        return false;
    }
    std::string regionCode;
    util.GetRegionCodeForNumber(number, &regionCode);
    // Non-geographic numbers (+800, +882…) have region "001": the contract's country code is an
    // ISO 3166-1 alpha-2 code, so such a number gets no entry rather than a made-up country.
    if (regionCode.size() != 2 || regionCode == "ZZ") {
        return false;
    }
    std::string national;
    util.Format(number, PhoneNumberUtil::NATIONAL, &national);
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return copyField(out->region_code, regionCode)
        && copyField(out->calling_code, std::to_string(number.country_code()))
        && copyField(out->country_name, englishCountryName(regionCode))
        && copyField(out->location, describeLocation(number))
        && copyField(out->national_format, national)
        && copyField(out->e164, e164);
}

}  // namespace

extern "C" int cphonenumber_describe(const char *utf8Number, struct cphonenumber_info *out) {
    if (out == nullptr) {
        return 0;
    }
    std::memset(out, 0, sizeof *out);
    if (utf8Number == nullptr) {
        return 0;
    }
    // Exceptions must not cross into Swift; any failure inside the libraries is just "no entry".
    try {
        if (describe(utf8Number, out)) {
            return 1;
        }
    } catch (...) {
    }
    std::memset(out, 0, sizeof *out);
    return 0;
}
