// Interrupts (SIGINT, SIGTERM) during a long command: the first one asks the
// command to stop and finish its reports from what it has; a second SIGINT
// quits at once.
#pragma once

#include <atomic>

namespace telescreen::cli {

// While one exists, SIGINT and SIGTERM are caught: the first sets
// Signal() and writes one line to stderr; a second SIGINT (or SIGTERM)
// restores the default action and re-raises it, so the process ends at once
// with the shell's usual status. The destructor restores the handlers that
// were there before. At most one at a time; not thread-safe to construct.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // The signal caught (SIGINT or SIGTERM), 0 if none yet. Async-signal-safe
  // to read from any thread.
  static int Signal();
  // The exit status for a command stopped by `signal`: 128 + its number
  // (130 for SIGINT, 143 for SIGTERM).
  static int ExitCode(int signal) { return 128 + signal; }
};

}  // namespace telescreen::cli
