// Real saved pages of the networks Telescreen reads (../shared/real-pages,
// named by $TELESCREEN_REAL_PAGES; skipped when it is unset): the packs'
// real-page samples still give what they gave, and the hand-checked scorer
// beside the pages (realscore.py) finds the person, their contacts and
// their events at the rates the project promises.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <re2/re2.h>
#include "support/run_binary.h"

namespace telescreen {
namespace {

std::string RealPages() {
  const char* dir = std::getenv("TELESCREEN_REAL_PAGES");
  return dir && *dir ? dir : "";
}

TEST(RealPagesTest, PackSamplesOnRealPagesGiveWhatTheyGave) {
  std::string dir = RealPages();
  if (dir.empty()) GTEST_SKIP() << "TELESCREEN_REAL_PAGES not set";
  auto r = testing::RunTelescreen({"patterns", "test"}, "", {"TELESCREEN_REAL_PAGES=" + dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(", 0 failed, 0 skipped"), std::string::npos) << r.out;
}

// Runs `command` in a shell; its stdout.
std::string Capture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  if (!pipe) return out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  return out;
}

TEST(RealPagesTest, ScorerFindsPeopleContactsAndEvents) {
  std::string dir = RealPages();
  if (dir.empty()) GTEST_SKIP() << "TELESCREEN_REAL_PAGES not set";
  // A fresh config folder: no user pack of the machine's owner may count.
  std::string config = testing::MakeTempDir("realscore-config");
  std::string out = Capture("XDG_CONFIG_HOME='" + config + "' python3 '" + dir + "/realscore.py' '" +
                            TELESCREEN_BINARY + "' 2>&1");
  int id_hit = 0, id_total = 0, c_hit = 0, c_total = 0, over = 0, reported = 0, e_hit = 0, e_total = 0;
  ASSERT_TRUE(re2::RE2::PartialMatch(
      out,
      R"(real pages: identity (\d+)/(\d+), contacts (\d+)/(\d+) recall \(over-claimed (\d+) of (\d+) reported\), )"
      R"(events (\d+)/(\d+) with right tense)",
      &id_hit, &id_total, &c_hit, &c_total, &over, &reported, &e_hit, &e_total))
      << out;
  std::printf("%s", out.c_str());
  EXPECT_GE(id_hit * 10, id_total * 9) << "identity below 90 %";
  EXPECT_GE(c_hit * 10, c_total * 8) << "contact recall below 80 %";
  EXPECT_LE(over * 20, reported) << "over 5 % of the contacts reported are not contacts";
  EXPECT_GE(e_hit * 10, e_total * 9) << "events with the right tense below 90 %";
}

}  // namespace
}  // namespace telescreen
