#include "core/cache_preview.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/reclaimed_parser.hpp"
#include "core/saturating.hpp"
#include "core/shell_quote.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

constexpr std::size_t kQuotedChars = 80;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// Exactly `count` digits at text[pos...]; advances pos.
std::optional<int> fixed_digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (!is_digit(c)) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// A field as text: JSON strings as they are, booleans and numbers written out; null/absent = "".
std::optional<std::string> field_text(const boost::json::object& record, std::string_view key,
                                      bool& present) {
    const auto* value = record.if_contains(key);
    present = value != nullptr && !value->is_null();
    if (!present) {
        return std::string();
    }
    if (const auto* s = value->if_string()) {
        return std::string(s->data(), s->size());
    }
    if (const auto* b = value->if_bool()) {
        return std::string(*b ? "true" : "false");
    }
    if (const auto* u = value->if_uint64()) {
        return std::to_string(*u);
    }
    if (const auto* i = value->if_int64()) {
        if (*i >= 0) {
            return std::to_string(*i);
        }
    }
    return std::nullopt;
}

std::optional<bool> read_bool(std::string_view text) {
    if (text == "true") {
        return true;
    }
    if (text == "false") {
        return false;
    }
    return std::nullopt;
}

// Reads one record, or says why not.
Result<CacheRecord> read_record(const boost::json::value& value, std::size_t index) {
    const auto* record = value.if_object();
    if (record == nullptr) {
        return failure("build cache record " + std::to_string(index) + " is not a JSON object");
    }
    const auto invalid = [index](std::string_view field, std::string_view problem) {
        return failure("build cache record " + std::to_string(index) + ": " + std::string(field) +
                       " " + std::string(problem));
    };
    bool present = false;
    const auto text = [&](std::string_view key) { return field_text(*record, key, present); };

    CacheRecord out;
    const auto id = text("ID");
    out.id = id ? id->substr(0, 200) : std::string();
    const auto type = text("CacheType");
    out.cache_type = type && !type->empty() ? type->substr(0, 64) : std::string("regular");

    const auto size = text("Size");
    if (!size || !present) {
        return invalid("Size", "is missing or not text");
    }
    const bool digits = !size->empty() && std::all_of(size->begin(), size->end(), is_digit);
    const auto bytes = parse_size(digits ? *size + "B" : *size);
    if (!bytes) {
        return invalid("Size", "is not a size: " + quote_for_message(*size, kQuotedChars));
    }
    out.size_bytes = *bytes;

    for (const auto& [key, target] : {std::pair<std::string_view, bool*>{"InUse", &out.in_use},
                                      std::pair<std::string_view, bool*>{"Shared", &out.shared}}) {
        const auto flag_text = text(key);
        const auto flag = flag_text ? read_bool(*flag_text) : std::nullopt;
        if (!flag) {
            return invalid(key, "is not \"true\" or \"false\"");
        }
        *target = *flag;
    }

    const auto count = text("UsageCount");
    if (!count) {
        return invalid("UsageCount", "is not a whole number");
    }
    for (const char c : *count) {
        if (!is_digit(c)) {
            return invalid("UsageCount", "is not a whole number: " + quote_for_message(*count, 40));
        }
        out.usage_count = std::min<std::uint64_t>(out.usage_count, 1'000'000'000'000ULL) * 10 +
                          static_cast<std::uint64_t>(c - '0');
    }

    const auto last_used = text("LastUsedAt");
    if (!last_used) {
        return invalid("LastUsedAt", "is not text");
    }
    if (!last_used->empty()) {
        out.last_used = parse_go_time(*last_used);
        if (!out.last_used) {
            return invalid("LastUsedAt",
                           "is not a time: " + quote_for_message(*last_used, kQuotedChars));
        }
    }
    return success(std::move(out));
}

struct Ranked {
    const CacheRecord* record;
    std::size_t last_used_rank = 0;
    std::size_t usage_rank = 0;
};

bool used_before(const CacheRecord& a, const CacheRecord& b) {
    if (!a.last_used || !b.last_used) {
        return !a.last_used && b.last_used;
    }
    return *a.last_used < *b.last_used;
}

// BuildKit's sortDeleteRecords: normalised last-use rank + normalised usage-count rank, lowest
// first. Ranks: records sorted by last use get the count of strictly increasing times seen so far
// (never used = 0); sorted by usage count, the count of distinct counts seen (starting from 0).
std::vector<const CacheRecord*> removal_order(std::vector<const CacheRecord*> candidates) {
    std::vector<Ranked> ranked;
    ranked.reserve(candidates.size());
    for (const auto* record : candidates) {
        ranked.push_back({record});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        return used_before(*a.record, *b.record);
    });
    std::size_t max_last_used = 0;
    std::optional<CacheTime> latest;
    for (auto& r : ranked) {
        if (r.record->last_used && (!latest || *r.record->last_used > *latest)) {
            latest = r.record->last_used;
            ++max_last_used;
        }
        r.last_used_rank = max_last_used;
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        return a.record->usage_count < b.record->usage_count;
    });
    std::size_t max_usage = 0;
    std::uint64_t count = 0;
    for (auto& r : ranked) {
        if (r.record->usage_count != count) {
            count = r.record->usage_count;
            ++max_usage;
        }
        r.usage_rank = max_usage;
    }
    // Go divides by a zero maximum (NaN, arbitrary order); a zero maximum means every record
    // shares that rank, so its term is 0 here.
    const auto score = [&](const Ranked& r) {
        const double a = max_last_used == 0 ? 0.0
                                            : static_cast<double>(r.last_used_rank) /
                                                  static_cast<double>(max_last_used);
        const double b = max_usage == 0
                             ? 0.0
                             : static_cast<double>(r.usage_rank) / static_cast<double>(max_usage);
        return a + b;
    };
    std::sort(ranked.begin(), ranked.end(), [&](const Ranked& a, const Ranked& b) {
        const double sa = score(a);
        const double sb = score(b);
        if (sa != sb) {
            return sa < sb;
        }
        if (used_before(*a.record, *b.record) || used_before(*b.record, *a.record)) {
            return used_before(*a.record, *b.record);
        }
        return a.record->id < b.record->id;
    });
    std::vector<const CacheRecord*> order;
    order.reserve(ranked.size());
    for (const auto& r : ranked) {
        order.push_back(r.record);
    }
    return order;
}

}  // namespace

std::optional<CacheTime> parse_go_time(std::string_view text) {
    // "YYYY-MM-DD hh:mm:ss": each field's digits and the separator after it.
    static constexpr std::array<std::pair<std::size_t, char>, 6> kFields = {
        {{4, '-'}, {2, '-'}, {2, ' '}, {2, ':'}, {2, ':'}, {2, '\0'}}};
    std::array<int, kFields.size()> fields{};
    std::size_t pos = 0;
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        const auto [digits, separator] = kFields[i];
        const auto value = fixed_digits(text, pos, digits);
        if (!value || (separator != '\0' && !expect(text, pos, separator))) {
            return std::nullopt;
        }
        fields[i] = *value;
    }
    const auto [year, month, day, hour, minute, second] = fields;
    if (hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::int64_t nanos = 0;
    if (expect(text, pos, '.')) {
        std::size_t digits = 0;
        while (pos < text.size() && is_digit(text[pos]) && digits < 9) {
            nanos = nanos * 10 + (text[pos] - '0');
            ++pos;
            ++digits;
        }
        if (digits == 0 || (pos < text.size() && is_digit(text[pos]))) {
            return std::nullopt;
        }
        for (; digits < 9; ++digits) {
            nanos *= 10;
        }
    }
    if (!expect(text, pos, ' ') || pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
        return std::nullopt;
    }
    const int sign = text[pos++] == '-' ? -1 : 1;
    const auto offset_hours = fixed_digits(text, pos, 2);
    const auto offset_minutes = fixed_digits(text, pos, 2);
    if (!offset_hours || !offset_minutes || *offset_minutes > 59) {
        return std::nullopt;
    }
    if (pos != text.size() && text[pos] != ' ') {
        return std::nullopt;  // the zone name and monotonic reading follow after a space
    }
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second -
                                 sign * (*offset_hours * 3600 + *offset_minutes * 60);
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    if (seconds >= kMax / kNanosPerSecond) {
        return CacheTime(std::chrono::nanoseconds(kMax));
    }
    if (seconds <= kMin / kNanosPerSecond) {
        return CacheTime(std::chrono::nanoseconds(kMin));
    }
    return CacheTime(std::chrono::nanoseconds(seconds * kNanosPerSecond + nanos));
}

Result<std::vector<CacheRecord>> parse_build_cache_records(std::string_view json_text) {
    if (json_text.size() > kMaxPreviewOutputBytes) {
        return failure("the build cache listing is larger than " +
                       std::to_string(kMaxPreviewOutputBytes) + " bytes, not read");
    }
    boost::json::parse_options options;
    options.max_depth = 8;
    boost::system::error_code ec;
    const boost::json::value document = boost::json::parse(json_text, ec, {}, options);
    if (ec) {
        return failure("the build cache listing is not JSON (" + ec.message() + ")");
    }
    std::vector<CacheRecord> records;
    if (document.is_null()) {
        return success(std::move(records));  // docker prints null when there is no build cache
    }
    const auto* array = document.if_array();
    if (array == nullptr) {
        return failure("the build cache listing is not a JSON array");
    }
    if (array->size() > kMaxCacheRecords) {
        return failure("the build cache listing has more than " + std::to_string(kMaxCacheRecords) +
                       " records, not read");
    }
    records.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        Result<CacheRecord> record = read_record((*array)[i], i);
        if (!record) {
            return failure(record.error());
        }
        records.push_back(std::move(*record));
    }
    return success(std::move(records));
}

PreviewResult preview_prune(const std::vector<CacheRecord>& records,
                            const PreviewRequest& request) {
    const std::uint64_t keep = request.keep_bytes.value_or(0);
    std::uint64_t total = 0;
    if (keep != 0) {
        for (const auto& record : records) {
            if (!record.shared) {
                total = saturating_add(total, record.size_bytes);
            }
        }
        if (total < keep) {
            return {};
        }
    }
    std::optional<CacheTime> cutoff;
    if (request.until) {
        // now - until, saturating at the earliest time instead of overflowing for absurd ages.
        constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
        const std::int64_t now = request.now.time_since_epoch().count();
        const std::int64_t age = std::max<std::int64_t>(request.until->count(), 0);
        cutoff = CacheTime(std::chrono::nanoseconds(now < kMin + age ? kMin : now - age));
    }
    std::vector<const CacheRecord*> candidates;
    for (const auto& record : records) {
        if (record.in_use) {
            continue;
        }
        if (!request.all &&
            (record.cache_type == "internal" || record.cache_type == "frontend" || record.shared)) {
            continue;
        }
        if (cutoff && record.last_used && *record.last_used > *cutoff) {
            continue;
        }
        candidates.push_back(&record);
    }
    PreviewResult result;
    const auto remove = [&result](const CacheRecord& record) {
        result.would_reclaim_bytes = saturating_add(result.would_reclaim_bytes, record.size_bytes);
        ++result.would_remove_records;
        result.removed_ids.push_back(record.id);
    };
    if (keep == 0) {
        for (const auto* record : candidates) {
            remove(*record);
        }
        return result;
    }
    for (const auto* record : removal_order(std::move(candidates))) {
        if (total < keep) {
            break;
        }
        remove(*record);
        total = total > record->size_bytes ? total - record->size_bytes : 0;
    }
    return result;
}

}  // namespace orch::pruner
