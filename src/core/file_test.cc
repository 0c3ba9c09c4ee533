#include "core/file.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace telescreen::core {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("telescreen-file-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(FileTest, AtomicWriteCreatesOwnerOnlyFileAndParents) {
  std::string path = (dir_ / "sub" / "report.json").string();
  ASSERT_TRUE(WriteFileAtomic(path, "one").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "two").ok());
  EXPECT_EQ(ReadFile(path).value(), "two");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary files left behind.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir_ / "sub")) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(FileTest, PiecewiseWriteJoinsPiecesAndAFailureLeavesTheOldFile) {
  std::string path = (dir_ / "report.json").string();
  ASSERT_TRUE(WriteFileAtomic(path, "old").ok());
  auto three = [](const FileSink& sink) -> Status {
    for (const char* piece : {"a", "bc", "def"}) {
      if (auto st = sink(piece); !st.ok()) return st;
    }
    return {};
  };
  ASSERT_TRUE(WriteFileAtomicWith(path, three).ok());
  EXPECT_EQ(ReadFile(path).value(), "abcdef");
  auto half = [](const FileSink& sink) -> Status {
    if (auto st = sink("half of a new report"); !st.ok()) return st;
    return MakeError(ErrorCode::kIo, "renderer gave up");
  };
  auto st = WriteFileAtomicWith(path, half);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "renderer gave up");
  EXPECT_EQ(ReadFile(path).value(), "abcdef");  // untouched
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);  // the temporary file is gone
}

TEST_F(FileTest, ReadErrorsNameThePath) {
  auto r = ReadFile((dir_ / "missing.html").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("missing.html"), std::string::npos);
}

TEST_F(FileTest, ReadRefusesFilesOverTheCap) {
  std::string path = (dir_ / "big").string();
  ASSERT_TRUE(WriteFileAtomic(path, std::string(100, 'x')).ok());
  EXPECT_FALSE(ReadFile(path, 10).ok());
  EXPECT_TRUE(ReadFile(path, 100).ok());
}

}  // namespace
}  // namespace telescreen::core
