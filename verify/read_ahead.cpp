#include "verify/read_ahead.hpp"

#include <algorithm>
#include <cstring>

namespace pgarc {

ReadAheadInput::ReadAheadInput(InputStream& inner, size_t blockSize, size_t blocks)
    : inner_(inner), name_(inner.name()), size_(inner.size()), position_(inner.position()), blockSize_(blockSize) {
  for (size_t i = 0; i < std::max<size_t>(blocks, 2); i++) {
    storage_.push_back(std::make_unique<Block>());
    storage_.back()->bytes.resize(blockSize_);
    free_.push_back(storage_.back().get());
  }
  thread_ = std::thread([this] { readLoop(); });
}

ReadAheadInput::~ReadAheadInput() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAheadInput::readLoop() {
  for (;;) {
    Block* block;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !free_.empty(); });
      if (stopping_) return;
      block = free_.front();
      free_.pop_front();
    }
    size_t got = 0;
    std::optional<Error> failure;
    bool atEnd = false;
    while (got < blockSize_) {
      auto r = inner_.read(block->bytes.data() + got, blockSize_ - got);
      if (!r.ok()) {
        failure = std::move(r).error();
        break;
      }
      if (*r == 0) {
        atEnd = true;
        break;
      }
      got += *r;
    }
    block->length = got;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (got > 0) {
        filled_.push_back(block);
      } else {
        free_.push_back(block);
      }
      if (failure) error_ = std::move(failure);
      if (failure || atEnd) finished_ = true;
    }
    changed_.notify_all();
    if (failure || atEnd) return;
  }
}

Result<bool> ReadAheadInput::fill() {
  if (current_ && offset_ < current_->length) return true;
  if (ended_) {
    if (error_) return *error_;  // again, for every caller that asks
    return false;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (current_) {
    free_.push_back(current_);
    current_ = nullptr;
    changed_.notify_all();
  }
  changed_.wait(lock, [this] { return !filled_.empty() || finished_; });
  if (filled_.empty()) {
    ended_ = true;
    if (error_) return *error_;
    return false;
  }
  current_ = filled_.front();
  filled_.pop_front();
  offset_ = 0;
  return true;
}

Result<std::string_view> ReadAheadInput::readView(size_t max) {
  PGARC_ASSIGN(bool more, fill());
  if (!more || max == 0) return std::string_view();
  size_t take = std::min(max, current_->length - offset_);
  std::string_view view(current_->bytes.data() + offset_, take);
  consume(take);
  return view;
}

Result<size_t> ReadAheadInput::read(char* buf, size_t n) {
  PGARC_ASSIGN(std::string_view view, readView(n));
  if (!view.empty()) std::memcpy(buf, view.data(), view.size());
  return view.size();
}

}  // namespace pgarc
