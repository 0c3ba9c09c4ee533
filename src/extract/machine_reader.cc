#include "extract/machine_reader.h"

#include <utility>

namespace telescreen::extract {

MachineReader::MachineReader(const PageInput& input, model::PageFacts* facts, const char* via)
    : input_(input), facts_(facts), page_url_(input.url.ToString()), via_(via) {}

model::Evidence MachineReader::MakeEvidence(std::string_view excerpt) const {
  return MachineEvidence(page_url_, via_, excerpt, input_.visibility);
}

void MachineReader::Warn(std::size_t line, const std::string& message) {
  if (facts_->warnings.size() < 40) {
    facts_->warnings.push_back(std::string(via_) + ": line " + std::to_string(line) + ": " + message);
  }
}

}  // namespace telescreen::extract
