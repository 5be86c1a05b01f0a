#include "core/common/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sio {

namespace {

constexpr std::uint64_t sub_count = std::uint64_t{1} << histogram::sub_bits;
constexpr std::uint64_t exact_below = sub_count * 2;  // values below are their own bucket
constexpr std::size_t bucket_total = exact_below + (histogram::max_bits - histogram::sub_bits - 1) * sub_count;

}  // namespace

histogram::histogram() : counts_(bucket_total, 0) {}

std::size_t histogram::bucket_of(std::uint64_t value) {
  value = std::min(value, max_value());
  if (value < exact_below) return static_cast<std::size_t>(value);
  const int msb = static_cast<int>(std::bit_width(value)) - 1;
  const int shift = msb - sub_bits;
  return static_cast<std::size_t>(exact_below + static_cast<std::uint64_t>(msb - sub_bits - 1) * sub_count +
                                  ((value >> shift) - sub_count));
}

std::uint64_t histogram::lowest_in(std::size_t bucket) {
  if (bucket < exact_below) return bucket;
  const std::uint64_t k = (bucket - exact_below) / sub_count;
  const std::uint64_t r = (bucket - exact_below) % sub_count;
  return (sub_count + r) << (k + 1);
}

std::uint64_t histogram::highest_in(std::size_t bucket) {
  if (bucket < exact_below) return bucket;
  const std::uint64_t k = (bucket - exact_below) / sub_count;
  return lowest_in(bucket) + (std::uint64_t{1} << (k + 1)) - 1;
}

void histogram::record(std::uint64_t value, std::uint64_t count) {
  value = std::min(value, max_value());
  counts_[bucket_of(value)] += count;
  total_ += count;
  sum_ += value * count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void histogram::merge(const histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = sum_ = max_ = 0;
  min_ = UINT64_MAX;
}

std::uint64_t histogram::value_at(double q) const {
  if (total_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the value wanted, 1-based: at least the first, at most the last.
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(highest_in(i), max_);
  }
  return max_;
}

}  // namespace sio
