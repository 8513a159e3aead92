// The trainer core as one import: `import TFCore` brings the graph layer (TFGraph), the
// runtime (TFRuntime) and checkpoints (TFCheckpoint), as before they were split.
@_exported import TFCheckpoint
@_exported import TFGraph
@_exported import TFRuntime
