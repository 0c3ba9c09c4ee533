#include "cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace telescreen::cli {
namespace {

std::atomic<int> g_signal{0};
struct sigaction g_old_int;
struct sigaction g_old_term;

void OnSignal(int sig) {
  int expected = 0;
  if (g_signal.compare_exchange_strong(expected, sig)) {
    static const char kMsg[] =
        "\ntelescreen: interrupted; finishing the reports from the pages read so far "
        "(press Ctrl-C again to quit at once)\n";
    ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    (void)ignored;
    return;
  }
  // The second one: die of it, as if we had never caught it.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  raise(sig);
}

}  // namespace

static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

InterruptScope::InterruptScope() {
  g_signal.store(0);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

int InterruptScope::Signal() { return g_signal.load(); }

}  // namespace telescreen::cli
