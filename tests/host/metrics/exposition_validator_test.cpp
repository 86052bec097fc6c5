// The gate for a plugin's exposition text, as tables: each line alone, then the rules that span
// lines (families contiguous, HELP/TYPE before samples, names other plugins or the host own).
#include "metrics/exposition_validator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orch::host::metrics {
namespace {

struct LineCase {
    const char* name;
    std::string line;
    bool kept;
    std::string canonical;  // what is emitted when kept (without the '\n')
};

TEST(ValidateExposition, EachLineAloneKeptOrDroppedAndCounted) {
    const std::vector<LineCase> table{
        {"plain sample", "p_x 1", true, "p_x 1"},
        {"labels", R"(p_x{a="b",c="d"} 2.5)", true, R"(p_x{a="b",c="d"} 2.5)"},
        {"blanks normalised", "p_x  { a = \"b\" , }\t3 ", true, R"(p_x{a="b"} 3)"},
        {"escapes", R"(p_x{a="q\"b\\s\nn"} 1)", true, R"(p_x{a="q\"b\\s\nn"} 1)"},
        {"utf-8 label", "p_x{a=\"h\xC3\xA9\"} 1", true, "p_x{a=\"h\xC3\xA9\"} 1"},
        {"+Inf", "p_x +Inf", true, "p_x +Inf"},
        {"-Inf", "p_x -Inf", true, "p_x -Inf"},
        {"NaN", "p_x NaN", true, "p_x NaN"},
        {"exponent", "p_x -1.5e-3", true, "p_x -1.5e-3"},
        {"colon name", "p:x 1", true, "p:x 1"},
        {"help", R"(# HELP p_x Some \\ text\n more)", true, R"(# HELP p_x Some \\ text\n more)"},
        {"help empty", "# HELP p_x", true, "# HELP p_x"},
        {"type", "# TYPE p_x counter", true, "# TYPE p_x counter"},
        {"bad name", "1p 1", false, ""},
        {"dash in name", "p-x 1", false, ""},
        {"no value", "p_x", false, ""},
        {"bad value", "p_x one", false, ""},
        {"hex value", "p_x 0x10", false, ""},
        {"lower inf", "p_x inf", false, ""},
        {"dot only", "p_x .", false, ""},
        {"timestamp", "p_x 1 1700000000000", false, ""},
        {"trailing text", "p_x 1 # no", false, ""},
        {"unclosed labels", R"(p_x{a="b" 1)", false, ""},
        {"unterminated value", R"(p_x{a="b} 1)", false, ""},
        {"bad escape", R"(p_x{a="\t"} 1)", false, ""},
        {"backslash ends the line (found by fuzz_exposition)", R"(p_x{a="q\)", false, ""},
        {"raw quote", "p_x{a=\"b\"\"} 1", false, ""},
        {"invalid utf-8", "p_x{a=\"\xFF\"} 1", false, ""},
        {"overlong utf-8", "p_x{a=\"\xC0\xAF\"} 1", false, ""},
        {"truncated utf-8", "p_x{a=\"\xE2\x82\"} 1", false, ""},
        {"reserved label", R"(p_x{__name__="y"} 1)", false, ""},
        {"bad label name", R"(p_x{1a="y"} 1)", false, ""},
        {"duplicate label", R"(p_x{a="1",a="2"} 1)", false, ""},
        {"unquoted label", "p_x{a=b} 1", false, ""},
        {"host prefix sample", "orch_host_x 1", false, ""},
        {"host prefix help", "# HELP orch_host_x y", false, ""},
        {"unknown type", "# TYPE p_x stateset", false, ""},
        {"type trailing", "# TYPE p_x gauge extra", false, ""},
        {"help bad escape", R"(# HELP p_x a\tb)", false, ""},
        {"help invalid utf-8", "# HELP p_x \xFF", false, ""},
        {"carriage return", "p_x 1\r", false, ""},
        {"nul in value", std::string("p_x 1\0", 6), false, ""},
    };
    for (const LineCase& c : table) {
        TakenNames taken;
        const ValidatedExposition v = validate_exposition(c.line + "\n", taken);
        EXPECT_EQ(v.lines_kept, c.kept ? 1U : 0U) << c.name;
        EXPECT_EQ(v.lines_dropped, c.kept ? 0U : 1U) << c.name;
        EXPECT_EQ(v.text, c.kept ? c.canonical + "\n" : "") << c.name;
    }
}

TEST(ValidateExposition, CommentsAndBlankLinesAreSkippedWithoutCounting) {
    TakenNames taken;
    const ValidatedExposition v = validate_exposition("# just a note\n\n   \n#\np_x 1", taken);
    EXPECT_EQ(v.text, "p_x 1\n");
    EXPECT_EQ(v.lines_kept, 1U);
    EXPECT_EQ(v.lines_dropped, 0U);
}

struct PageCase {
    const char* name;
    std::string text;
    std::string kept;
    std::uint64_t dropped;
};

TEST(ValidateExposition, FamiliesAreContiguousWithHelpAndTypeFirst) {
    const std::vector<PageCase> table{
        {"a family", "# HELP p_a A.\n# TYPE p_a gauge\np_a{x=\"1\"} 1\np_a{x=\"2\"} 2\n",
         "# HELP p_a A.\n# TYPE p_a gauge\np_a{x=\"1\"} 1\np_a{x=\"2\"} 2\n", 0},
        {"type before help", "# TYPE p_a gauge\n# HELP p_a A.\np_a 1\n",
         "# TYPE p_a gauge\n# HELP p_a A.\np_a 1\n", 0},
        {"second help", "# HELP p_a A.\n# HELP p_a B.\np_a 1\n", "# HELP p_a A.\np_a 1\n", 1},
        {"second type", "# TYPE p_a gauge\n# TYPE p_a counter\np_a 1\n",
         "# TYPE p_a gauge\np_a 1\n", 1},
        {"type after samples", "p_a 1\n# TYPE p_a gauge\n", "p_a 1\n", 1},
        {"family resumed later", "p_a 1\np_b 1\np_a 2\n", "p_a 1\np_b 1\n", 1},
        {"histogram",
         "# TYPE p_h histogram\np_h_bucket{le=\"1\"} 1\np_h_bucket{le=\"+Inf\"} 2\np_h_sum "
         "3\np_h_count 2\n",
         "# TYPE p_h histogram\np_h_bucket{le=\"1\"} 1\np_h_bucket{le=\"+Inf\"} 2\np_h_sum "
         "3\np_h_count 2\n",
         0},
        {"bucket without le", "# TYPE p_h histogram\np_h_bucket 1\np_h_count 1\n",
         "# TYPE p_h histogram\np_h_count 1\n", 1},
        {"bucket with bad le", "# TYPE p_h histogram\np_h_bucket{le=\"x\"} 1\n",
         "# TYPE p_h histogram\n", 1},
        {"histogram own name", "# TYPE p_h histogram\np_h 1\n", "# TYPE p_h histogram\n", 1},
        {"histogram suffix taken after", "# TYPE p_h histogram\np_h_count 1\np_x 1\np_h_sum 1\n",
         "# TYPE p_h histogram\np_h_count 1\np_x 1\n", 1},
        {"histogram over an existing name", "p_h_sum 1\n# TYPE p_h histogram\n", "p_h_sum 1\n", 1},
        {"summary", "# TYPE p_s summary\np_s{quantile=\"0.5\"} 1\np_s_sum 2\np_s_count 3\n",
         "# TYPE p_s summary\np_s{quantile=\"0.5\"} 1\np_s_sum 2\np_s_count 3\n", 0},
        {"summary without quantile", "# TYPE p_s summary\np_s 1\n", "# TYPE p_s summary\n", 1},
        {"host family among good lines", "p_a 1\norch_host_build_info 1\np_a 2\n", "p_a 1\np_a 2\n",
         1},
    };
    for (const PageCase& c : table) {
        TakenNames taken;
        const ValidatedExposition v = validate_exposition(c.text, taken);
        EXPECT_EQ(v.text, c.kept) << c.name;
        EXPECT_EQ(v.lines_dropped, c.dropped) << c.name;
    }
}

TEST(ValidateExposition, APluginCannotAddToOrClashWithAnotherPluginsFamilies) {
    TakenNames taken;
    const ValidatedExposition first =
        validate_exposition("# TYPE shared_h histogram\nshared_h_count 1\nshared_g 1\n", taken);
    EXPECT_EQ(first.lines_dropped, 0U);
    const ValidatedExposition second = validate_exposition(
        "shared_g 2\n# HELP shared_h Mine.\nshared_h_count 5\nshared_h_sum 1\n# TYPE "
        "shared gauge\nown 1\n",
        taken);
    // shared_g, shared_h, shared_h_count, shared_h_sum belong to the first plugin; a histogram
    // "shared" would be fine on its own, but a gauge named "shared" is new, so it is kept.
    EXPECT_EQ(second.text, "# TYPE shared gauge\nown 1\n");
    EXPECT_EQ(second.lines_dropped, 4U);
}

TEST(ValidateExposition, LimitsDropAndCountTheRest) {
    std::string text;
    for (int i = 0; i < 10; ++i) {
        text += "p_" + std::to_string(i) + " 1\n";
    }
    {
        TakenNames taken;
        const ValidatedExposition v = validate_exposition(text, taken, {1 << 20, 4, 4096});
        EXPECT_EQ(v.lines_kept, 4U);
        EXPECT_EQ(v.lines_dropped, 6U);
    }
    {
        TakenNames taken;
        // "p_0 1\n" is 6 bytes: two whole lines fit in 13 bytes, the third is cut and dropped.
        const ValidatedExposition v = validate_exposition(text, taken, {13, 4096, 4096});
        EXPECT_EQ(v.text, "p_0 1\np_1 1\n");
        EXPECT_EQ(v.lines_dropped, 8U);
    }
    {
        TakenNames taken;
        const std::string long_line = "p_long{a=\"" + std::string(5000, 'x') + "\"} 1\np_ok 1\n";
        const ValidatedExposition v = validate_exposition(long_line, taken);
        EXPECT_EQ(v.text, "p_ok 1\n");
        EXPECT_EQ(v.lines_dropped, 1U);
    }
}

TEST(ValidateExposition, GarbageIsDroppedLineByLine) {
    TakenNames taken;
    std::string garbage;
    for (int i = 0; i < 256; ++i) {
        garbage += static_cast<char>(i);
    }
    const ValidatedExposition v = validate_exposition(garbage + "\np_ok 1\n" + garbage, taken);
    EXPECT_EQ(v.text, "p_ok 1\n");
    EXPECT_GT(v.lines_dropped, 0U);
}

}  // namespace
}  // namespace orch::host::metrics
