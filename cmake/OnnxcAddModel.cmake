# onnxc_add_model: compile an ONNX model to an object file at build time and wrap it in a
# static library target.
#
#   onnxc_add_model(<target> MODEL <file.onnx>
#                   [NAME <symbol-prefix>]     # --name; default: <target>
#                   [TARGET <triple>]          # --target; default: see below
#                   [CPU <cpu>]                # --cpu; default: ${ONNXC_CPU} if set
#                   [OPTIONS <flag>...])       # any other onnxc flags: -O3, --shape x:1x64, ...
#
# Produces, at build time:
#   ${CMAKE_CURRENT_BINARY_DIR}/onnxc/<target>/<name>.o
#   ${CMAKE_CURRENT_BINARY_DIR}/onnxc/<target>/<name>.h
# and a STATIC library <target> holding the object, with that directory as a PUBLIC include
# directory and runtime-lite (onnxc::onnxc_rt) as a PUBLIC link dependency:
#
#   target_link_libraries(app PRIVATE <target>)   # then #include "<name>.h"
#
# The command reruns when the model file or the onnxc executable changes.
#
# Which onnxc runs:
#   ONNXC_EXECUTABLE, when set: an executable target name (e.g. `onnxc` in the onnxc tree),
#     $<TARGET_FILE:tgt>, or a path to the onnxc binary;
#   else the imported target onnxc::onnxc (defined by find_package(onnxc));
#   else a target named `onnxc` in the current project;
#   else `onnxc` found on PATH.
#
# Target triple: the TARGET argument, else ONNXC_TARGET_TRIPLE, else, only when
# CMAKE_CROSSCOMPILING, the toolchain's triple: CMAKE_C_COMPILER_TARGET,
# CMAKE_CXX_COMPILER_TARGET, or what `${CMAKE_C_COMPILER} -dumpmachine` prints.
# Native builds pass no --target, so onnxc compiles for the host CPU.
#
# Runtime library: ONNXC_RUNTIME_LIBRARY when set, else onnxc::onnxc_rt, else onnxc_rt (the
# in-tree target). When cross-compiling, the runtime-lite the package installed is built for the
# host; build runtime-lite for the target (`cmake -S runtime-lite` with your toolchain file) and
# point ONNXC_RUNTIME_LIBRARY at it, or define onnxc::onnxc_rt before find_package(onnxc).

include_guard(GLOBAL)

# Resolves how to invoke onnxc. Sets <out_cmd> (for COMMAND) and <out_dep> (for DEPENDS).
function(_onnxc_resolve_executable out_cmd out_dep)
  set(exe "")
  if(DEFINED ONNXC_EXECUTABLE AND NOT "${ONNXC_EXECUTABLE}" STREQUAL "")
    set(exe "${ONNXC_EXECUTABLE}")
  elseif(TARGET onnxc::onnxc)
    set(exe onnxc::onnxc)
  elseif(TARGET onnxc)
    set(exe onnxc)
  endif()

  # $<TARGET_FILE:tgt> names a target: treat it as that target.
  if(exe MATCHES "^\\$<TARGET_FILE:([^>]+)>$")
    set(exe "${CMAKE_MATCH_1}")
  endif()

  if(NOT exe STREQUAL "" AND TARGET "${exe}")
    get_target_property(type "${exe}" TYPE)
    if(NOT type STREQUAL "EXECUTABLE")
      message(FATAL_ERROR "onnxc_add_model: target '${exe}' is a ${type}, not an executable")
    endif()
    get_target_property(imported "${exe}" IMPORTED)
    # $<TARGET_FILE:> in COMMAND implies a target-level dependency (and, unlike a bare target
    # name, is expanded even when cross-compiling). DEPENDS on a built target adds the
    # file-level dependency; for an imported one, depend on its file.
    set(${out_cmd} "$<TARGET_FILE:${exe}>" PARENT_SCOPE)
    if(imported)
      set(${out_dep} "$<TARGET_FILE:${exe}>" PARENT_SCOPE)
    else()
      set(${out_dep} "${exe}" PARENT_SCOPE)
    endif()
    return()
  endif()

  if(exe STREQUAL "")
    find_program(ONNXC_FOUND_EXECUTABLE onnxc)
    if(NOT ONNXC_FOUND_EXECUTABLE)
      message(FATAL_ERROR "onnxc_add_model: no onnxc executable: call find_package(onnxc), "
        "or set ONNXC_EXECUTABLE to the onnxc binary or target")
    endif()
    set(exe "${ONNXC_FOUND_EXECUTABLE}")
  endif()
  set(${out_cmd} "${exe}" PARENT_SCOPE)
  set(${out_dep} "${exe}" PARENT_SCOPE)
endfunction()

# The toolchain's target triple when cross-compiling, else "".
function(_onnxc_toolchain_triple out)
  set(triple "")
  if(DEFINED ONNXC_TARGET_TRIPLE AND NOT "${ONNXC_TARGET_TRIPLE}" STREQUAL "")
    set(triple "${ONNXC_TARGET_TRIPLE}")
  elseif(CMAKE_CROSSCOMPILING)
    if(CMAKE_C_COMPILER_TARGET)
      set(triple "${CMAKE_C_COMPILER_TARGET}")
    elseif(CMAKE_CXX_COMPILER_TARGET)
      set(triple "${CMAKE_CXX_COMPILER_TARGET}")
    else()
      set(cc "${CMAKE_C_COMPILER}")
      set(cc_id "${CMAKE_C_COMPILER_ID}")
      if(NOT cc)
        set(cc "${CMAKE_CXX_COMPILER}")
        set(cc_id "${CMAKE_CXX_COMPILER_ID}")
      endif()
      if(cc AND cc_id MATCHES "GNU|Clang")
        execute_process(COMMAND "${cc}" -dumpmachine OUTPUT_VARIABLE dumped
          OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
        if(rc EQUAL 0)
          set(triple "${dumped}")
        endif()
      endif()
    endif()
    if(triple STREQUAL "")
      message(WARNING "onnxc_add_model: cross-compiling but no target triple found; set "
        "CMAKE_C_COMPILER_TARGET or ONNXC_TARGET_TRIPLE, or pass TARGET")
    endif()
  endif()
  set(${out} "${triple}" PARENT_SCOPE)
endfunction()

function(onnxc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;NAME;TARGET;CPU" "OPTIONS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "onnxc_add_model(${target}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "onnxc_add_model(${target}): MODEL <file.onnx> is required")
  endif()
  if(TARGET "${target}")
    message(FATAL_ERROR "onnxc_add_model(${target}): a target named '${target}' already exists")
  endif()

  set(name "${target}")
  if(ARG_NAME)
    set(name "${ARG_NAME}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "onnxc_add_model(${target}): '${name}' is not a C identifier; "
      "pass NAME <identifier>")
  endif()

  get_filename_component(model "${ARG_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "onnxc_add_model(${target}): model file not found: ${model}")
  endif()

  _onnxc_resolve_executable(onnxc_cmd onnxc_dep)

  set(flags --name "${name}")
  set(triple "${ARG_TARGET}")
  if(triple STREQUAL "")
    _onnxc_toolchain_triple(triple)
  endif()
  if(NOT triple STREQUAL "")
    list(APPEND flags --target "${triple}")
  endif()
  set(cpu "${ARG_CPU}")
  if(cpu STREQUAL "" AND DEFINED ONNXC_CPU)
    set(cpu "${ONNXC_CPU}")
  endif()
  if(NOT cpu STREQUAL "")
    list(APPEND flags --cpu "${cpu}")
  endif()
  list(APPEND flags ${ARG_OPTIONS})

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/onnxc/${target}")
  set(obj "${out_dir}/${name}.o")
  set(hdr "${out_dir}/${name}.h")
  file(MAKE_DIRECTORY "${out_dir}")   # so the include directory exists at configure time

  file(RELATIVE_PATH model_rel "${CMAKE_SOURCE_DIR}" "${model}")
  if(model_rel MATCHES "^\\.\\.")
    set(model_rel "${model}")
  endif()
  add_custom_command(
    OUTPUT "${obj}" "${hdr}"
    COMMAND "${onnxc_cmd}" "${model}" -o "${obj}" ${flags}
    DEPENDS "${model}" "${onnxc_dep}"
    WORKING_DIRECTORY "${out_dir}"
    COMMENT "onnxc: compiling ${model_rel} -> ${name}.o, ${name}.h"
    VERBATIM COMMAND_EXPAND_LISTS)

  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_source_files_properties("${hdr}" PROPERTIES GENERATED TRUE HEADER_FILE_ONLY TRUE)
  add_library("${target}" STATIC "${obj}" "${hdr}")

  # A library made only of an external object has no language of its own.
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set(linker_language C)
  elseif("CXX" IN_LIST languages)
    set(linker_language CXX)
  else()
    message(FATAL_ERROR "onnxc_add_model(${target}): enable C or CXX in project()")
  endif()
  set_target_properties("${target}" PROPERTIES
    LINKER_LANGUAGE ${linker_language}
    ONNXC_MODEL "${model}"
    ONNXC_NAME "${name}"
    ONNXC_HEADER "${hdr}"
    ONNXC_OBJECT "${obj}")
  target_include_directories("${target}" PUBLIC "$<BUILD_INTERFACE:${out_dir}>")

  if(DEFINED ONNXC_RUNTIME_LIBRARY AND NOT "${ONNXC_RUNTIME_LIBRARY}" STREQUAL "")
    set(runtime "${ONNXC_RUNTIME_LIBRARY}")
  elseif(TARGET onnxc::onnxc_rt)
    set(runtime onnxc::onnxc_rt)
  elseif(TARGET onnxc_rt)
    set(runtime onnxc_rt)
  else()
    message(FATAL_ERROR "onnxc_add_model(${target}): no runtime-lite library: call "
      "find_package(onnxc), or set ONNXC_RUNTIME_LIBRARY")
  endif()
  target_link_libraries("${target}" PUBLIC "${runtime}")
endfunction()
