// Output: where a finished scan goes (terminal summary, JSON and HTML
// files), shared by scan, extract and demo.
#pragma once

#include <string>

#include "model/scan_result.h"

namespace telescreen::cli {

struct OutputOptions {
  std::string json_path;  // empty = no JSON file
  std::string html_path;  // empty = no HTML file
  bool quiet = false;     // no summary on stdout
};

// Prints the summary (colour only on a TTY without NO_COLOR) and writes the
// files atomically, owner-only. Returns an ExitCode.
int WriteOutputs(const model::ScanResult& result, const OutputOptions& options);

// Prints "telescreen: <message>" to stderr.
void PrintError(const std::string& message);

// True iff stderr is a terminal (for progress lines).
bool StderrIsTty();

}  // namespace telescreen::cli
