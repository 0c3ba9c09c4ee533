// What every HTML page Telescreen writes shares: the built-in stylesheet,
// inlined, and a Content-Security-Policy that allows exactly that one
// <style> (by its SHA-256) and data: images, nothing from the network.
#pragma once

#include <string>
#include <string_view>

namespace telescreen::report {

// reports/report.css as built in; "" if it is missing or could end the
// <style> element.
std::string BuiltinStyle();

// The CSP for a page whose only inline <style> holds exactly `style`.
std::string StyleCsp(std::string_view style);

}  // namespace telescreen::report
