// DemoServer: serves the bundled demo person's four sites (a professional
// network, a Mastodon-style profile, an event platform and a homepage) on
// free loopback ports, each site on its own port so each is its own site.
//
//   DemoServer demo;
//   auto starts = demo.Start(now);   // the person's profile URLs
//   ... crawl them ...
//   demo.Stop();                     // also done by the destructor
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace telescreen::demo {

class DemoServer {
 public:
  DemoServer();
  ~DemoServer();
  DemoServer(const DemoServer&) = delete;
  DemoServer& operator=(const DemoServer&) = delete;

  // Binds 127.0.0.1 on free ports and serves until Stop(). Dates in the
  // pages are written relative to `now` ({{date:+5}} is five days after it),
  // so the demo always has past events and future plans. Returns the demo
  // person's profile URLs, one per site.
  core::Result<std::vector<std::string>> Start(core::TimePoint now);
  void Stop();

  // Requests served so far, "METHOD site path" per line (for tests).
  std::vector<std::string> RequestLog() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Fills the placeholders of a demo page: {{network}}, {{social}}, {{events}},
// {{home}} (site origins), {{date:+N}} / {{date:-N}} (YYYY-MM-DD),
// {{compact:+N}} (YYYYMMDD), {{year}}. Unknown placeholders stay as they are.
std::string FillTemplate(std::string_view page,
                         const std::vector<std::pair<std::string, std::string>>& origins,
                         core::TimePoint now);

}  // namespace telescreen::demo
