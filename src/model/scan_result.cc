#include "model/scan_result.h"

namespace telescreen::model {

const char* TenseName(Tense t) {
  switch (t) {
    case Tense::kPast:
      return "past";
    case Tense::kFuture:
      return "future";
    case Tense::kUnknown:
      break;
  }
  return "unknown";
}

const char* VisibilityName(Visibility v) {
  return v == Visibility::kMembersOnly ? "members-only" : "public";
}

}  // namespace telescreen::model
