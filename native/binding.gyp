{
  "targets": [
    {
      "target_name": "wireview_capture",
      "sources": [
        "src/addon.cc",
        "src/capture.cc",
        "src/config_map.cc",
        "src/frame_writer.cc",
        "src/features.cc",
        "src/kernel_names.cc",
        "src/loaded_object.cc",
        "src/plan.cc",
        "src/ring_reader.cc",
        "src/rtnetlink.cc",
        "src/libbpf_stderr.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../bpf",
        "../bpf/.output"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-missing-field-initializers", "-Wno-unused-parameter"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden", "-fno-exceptions"],
      "ldflags": ["-Wl,--exclude-libs,ALL"],
      "libraries": ["<(module_root_dir)/.libbpf/libbpf.a", "-lelf", "-lz", "-lpthread"]
    },
    {
      "target_name": "wireview_lz4",
      "sources": ["src/lz4_block.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden", "-fno-exceptions"],
      "libraries": ["-llz4"]
    }
  ]
}
