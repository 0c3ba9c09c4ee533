#include "cli/commands.h"

int main(int argc, char** argv) { return telescreen::cli::Main(argc, argv); }
