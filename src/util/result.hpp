#pragma once
// zkamm::Result<T, E>: a value or the error that prevented it, the one result shape of the code
// base (docs/ARCHITECTURE.md section 9, "Errors"). C++20 has no std::expected; this is the subset
// of it the project uses, with the same names (value(), error(), has_value(), value_or()), so a
// later move to std::expected (C++23) is mechanical.
//
// E is a module's error type: usually Error<Code>, a module's error enum with a message for
// people; a module whose errors carry more (l1::RpcError: JSON-RPC code and revert data) uses
// its own struct. Result<void, E> is a success or an error.
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace zkamm {

/// A module's error: a code to branch on and a message to show (never a key or a secret).
template <class Code>
struct Error {
  Code code{};
  std::string message;
};

template <class T, class E>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, std::remove_cv_t<E>>,
                "value and error types must differ (the constructors are implicit)");

 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return v_.index() == 0; }
  bool ok() const noexcept { return has_value(); }
  explicit operator bool() const noexcept { return has_value(); }

  /// Precondition: ok(). A breach throws std::bad_variant_access (a bug, as with
  /// std::expected::value()): tests report it instead of crashing.
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// Moves the value out. Precondition: ok().
  T take() && { return std::move(*this).value(); }
  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

  /// Precondition: !ok() (a breach throws std::bad_variant_access).
  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, E> v_;
};

/// Success (default-constructed) or an error.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return !failed_; }
  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return !failed_; }
  /// Precondition: !ok() (else a default E).
  const E& error() const& noexcept { return error_; }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace zkamm
