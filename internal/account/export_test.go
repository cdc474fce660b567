package account

// HashCount exposes the number of argon2 computations to the external
// tests, which prove that a throttled attempt never reaches the hash.
func HashCount(s *Service) int64 { return s.hashes.Load() }

// RegisterFreePerIP exposes the registration allowance per address to tests.
const RegisterFreePerIP = registerFreePerIP
