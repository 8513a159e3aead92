// The header holds everything (static inline functions); SwiftPM needs a source file.
