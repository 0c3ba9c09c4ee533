#include "cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "core/file.h"
#include "core/i18n.h"
#include "report/report.h"

namespace telescreen::cli {

void PrintError(const std::string& message) { std::fprintf(stderr, "telescreen: %s\n", message.c_str()); }

bool StderrIsTty() { return ::isatty(STDERR_FILENO) == 1; }

int WriteOutputs(const model::ScanResult& result, const OutputOptions& options) {
  if (!options.quiet) {
    report::TextOptions text;
    const char* no_color = std::getenv("NO_COLOR");
    bool color = ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
    text.color = color ? report::Color::kAlways : report::Color::kNever;
    std::string summary = report::RenderText(result, text);
    std::fwrite(summary.data(), 1, summary.size(), stdout);
    std::fflush(stdout);
  }
  int code = kExitOk;
  if (!options.json_path.empty()) {
    // Streamed: a report of thousands of pages is never held whole.
    auto write = [&](const core::FileSink& sink) {
      core::Status st;
      report::RenderJsonTo(result, [&](std::string_view piece) {
        st = sink(piece);
        return st.ok();
      });
      return st;
    };
    if (auto st = core::WriteFileAtomicWith(options.json_path, write); !st.ok()) {
      PrintError(st.error().message);
      code = kExitRuntime;
    } else if (!options.quiet) {
      std::fprintf(stderr, "%s\n", core::Fill(core::Tr("JSON report: {1}"), {options.json_path}).c_str());
    }
  }
  if (!options.html_path.empty()) {
    if (auto st = core::WriteFileAtomic(options.html_path, report::RenderHtml(result)); !st.ok()) {
      PrintError(st.error().message);
      code = kExitRuntime;
    } else if (!options.quiet) {
      std::fprintf(stderr, "%s\n", core::Fill(core::Tr("HTML report: {1}"), {options.html_path}).c_str());
    }
  }
  return code;
}

}  // namespace telescreen::cli
