// The matcher's files see EnvCheckCore through the rest of their module in the main
// package; here this one import stands in for it.
import EnvCheckCore
