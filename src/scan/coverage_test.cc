#include "scan/coverage.h"

#include <gtest/gtest.h>

namespace telescreen::scan {
namespace {

model::Page Page(std::string url, int status, std::string error = "", model::Wall wall = model::Wall::kNone,
                 std::string wall_detail = "") {
  model::Page p;
  p.url = url;
  p.final_url = std::move(url);
  p.status = status;
  p.error = std::move(error);
  p.wall = wall;
  p.wall_detail = std::move(wall_detail);
  return p;
}

TEST(CoverageTest, EachTargetIsFullPartialWalledOrFailed) {
  const std::vector<std::string> targets = {"https://www.linkedin.com/in/ann", "https://ann.example/",
                                            "https://x.invalid/", "https://social.example/@ann"};
  std::vector<model::Page> pages = {
      Page("https://www.linkedin.com/in/ann", 200, "", model::Wall::kLogin,
           "login wall (redirect to /authwall)"),
      Page("https://ann.example/", 200),
      Page("https://ann.example/friends", 403, "", model::Wall::kBlocked, "HTTP 403 (access refused)"),
      Page("https://ann.example/talks", 200),
      Page("https://x.invalid/", 0, "Couldn't resolve host name: Could not resolve host: x.invalid"),
      Page("https://social.example/@ann", 200),
      Page("https://social.example/private", 0, "disallowed by robots.txt"),
  };
  auto c = ComputeCoverage(targets, pages, {});
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].site, "linkedin.com");
  EXPECT_EQ(c[0].seen, model::Seen::kWalled);
  EXPECT_EQ(c[0].detail, "login wall (redirect to /authwall)");
  EXPECT_EQ(c[1].seen, model::Seen::kPartial);
  EXPECT_EQ(c[1].detail, "1 of 3 pages not seen: HTTP 403 (access refused)");
  EXPECT_EQ(c[2].seen, model::Seen::kFailed);
  EXPECT_EQ(c[2].detail, "could not resolve host x.invalid");
  EXPECT_EQ(c[3].seen, model::Seen::kFull);  // robots.txt skips are on purpose
  EXPECT_EQ(c[3].detail, "1 page skipped by robots.txt");
}

TEST(CoverageTest, ATargetWithNoPageOrAnErrorStatusFailed) {
  auto c = ComputeCoverage({"https://a.example/", "https://b.example/"},
                           {Page("https://b.example/", 404), Page("https://b.example/x", 200)}, {});
  EXPECT_EQ(c[0].seen, model::Seen::kFailed);
  EXPECT_EQ(c[0].detail, "not fetched");
  EXPECT_EQ(c[1].seen, model::Seen::kFailed);
  EXPECT_EQ(c[1].detail, "HTTP 404");
}

TEST(CoverageTest, SavedInputsOwnEveryPageTheyHold) {
  // A HAR: a redirect entry is neither seen nor unseen; a walled entry
  // beside a read one makes the view partial.
  std::vector<model::Page> pages = {Page("https://site.example/ann", 302),
                                    Page("https://site.example/ann/", 200),
                                    Page("https://site.example/ann/contacts", 200, "", model::Wall::kLogin,
                                         "login form instead of the page"),
                                    Page("saved.html", 200)};
  auto c = ComputeCoverage({"export.har", "saved.html"}, pages,
                           {"export.har", "export.har", "export.har", "saved.html"});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].site, "site.example");
  EXPECT_EQ(c[0].seen, model::Seen::kPartial);
  EXPECT_EQ(c[0].detail, "1 of 3 pages not seen: login form instead of the page");
  EXPECT_EQ(c[1].site, "");
  EXPECT_EQ(c[1].seen, model::Seen::kFull);
}

TEST(CoverageTest, AnInterruptLeavesNoTargetSeenInFull) {
  std::vector<model::Page> pages = {Page("https://a.example/", 200), Page("https://b.example/", 200),
                                    Page("https://b.example/x", 0, "disallowed by robots.txt"),
                                    Page("https://w.example/", 999)};
  auto c = ComputeCoverage(
      {"https://a.example/", "https://b.example/", "https://c.example/", "https://w.example/"}, pages, {});
  ASSERT_EQ(c.size(), 4u);
  ASSERT_EQ(c[2].seen, model::Seen::kFailed);
  ASSERT_EQ(c[2].detail, "not fetched");
  const model::Coverage walled = c[3];
  MarkInterrupted(&c);
  EXPECT_EQ(c[0].seen, model::Seen::kPartial);
  EXPECT_EQ(c[0].detail, "the scan was interrupted before all its pages were read");
  EXPECT_EQ(c[1].seen, model::Seen::kPartial);
  EXPECT_EQ(c[1].detail,
            "the scan was interrupted before all its pages were read; 1 page skipped by robots.txt");
  EXPECT_EQ(c[2].detail, "not fetched: the scan was interrupted");
  EXPECT_EQ(c[3], walled);  // what it saw stands
  EXPECT_EQ(model::CountNotFullySeen(c), 4u);
}

}  // namespace
}  // namespace telescreen::scan
