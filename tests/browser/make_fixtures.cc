// Writes the HTML reports the headless-browser test opens:
//   realistic.html  the scored worked-example fixture (src/score/fixture.h)
//   hostile.html    page text full of script payloads and javascript: URLs
//   control.html    the hostile report with one payload deliberately left
//                   live, so the test proves it notices a payload that runs
// Usage: telescreen_report_fixtures OUTPUT_DIR
#include <cstdio>
#include <fstream>
#include <string>

#include "core/time.h"
#include "report/report.h"
#include "score/fixture.h"
#include "score/score.h"

namespace {

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace telescreen;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const auto now = core::ParseNow(score::testing::kFixtureNow).value();
  model::ScanResult realistic = score::testing::RealisticScan();
  score::ScoreScan(&realistic, now);
  model::ScanResult hostile = score::testing::HostileScan();
  score::ScoreScan(&hostile, now);
  std::string hostile_html = report::RenderHtml(hostile);
  // The control: the same report with a live payload and the CSP relaxed to
  // let inline script run, as a broken escaper would produce.
  std::string control = hostile_html;
  const std::string csp = "default-src 'none'; style-src";
  std::size_t at = control.find("default-src &#39;none&#39;; style-src");
  if (at != std::string::npos) {
    control.insert(at, "script-src &#39;unsafe-inline&#39;; ");
  }
  std::size_t body = control.find("<main");
  control.insert(body, "<script>document.title='PWNED';window.__pwned=1</script>");
  bool ok = Write(dir + "/realistic.html", report::RenderHtml(realistic)) &&
            Write(dir + "/realistic.json", report::RenderJson(realistic)) &&
            Write(dir + "/realistic.txt", report::RenderText(realistic)) &&
            Write(dir + "/hostile.html", hostile_html) && Write(dir + "/control.html", control);
  if (!ok) {
    std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
    return 1;
  }
  return 0;
}
