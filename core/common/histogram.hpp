#pragma once
// A log-linear (HDR-style) histogram of non-negative integers, e.g. latencies in nanoseconds.
// Values below 256 are exact; above, every power of two is split into 128 buckets, so a
// reported value is within 1/128 (< 0.8 %) of every value it stands for. Fixed memory, O(1)
// record, and histograms add up (one per thread, merged at the end).
#include <array>
#include <cstdint>
#include <vector>

namespace sio {

class histogram {
 public:
  static constexpr int sub_bits = 7;   // 128 buckets per power of two
  static constexpr int max_bits = 44;  // values up to 2^44 - 1 (about 4.9 hours in ns); above is clamped

  histogram();

  void record(std::uint64_t value, std::uint64_t count = 1);
  void merge(const histogram& other);
  void reset();

  std::uint64_t count() const { return total_; }
  std::uint64_t min() const { return total_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return total_ ? static_cast<double>(sum_) / static_cast<double>(total_) : 0.0; }
  // The value at quantile q (0..1): the highest value of the bucket holding it, capped at
  // the largest value recorded. 0 when empty.
  std::uint64_t value_at(double q) const;

  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t lowest_in(std::size_t bucket);
  static std::uint64_t highest_in(std::size_t bucket);
  static std::uint64_t max_value() { return (std::uint64_t{1} << max_bits) - 1; }

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace sio
