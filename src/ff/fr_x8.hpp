#pragma once
// FrX8 lives with FqX8 in ff/field_x8.hpp (one kernel, a template on the field).
#include "ff/field_x8.hpp"
