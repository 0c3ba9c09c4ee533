# Checks that po/${LANG}.po translates every msgid that xgettext finds in
# src/ (the keywords core::Tr and core::TrN mark), none untranslated or fuzzy.
#   cmake -DROOT=<source dir> -DOUT=<scratch dir> -DLANG=de -P po_check.cmake
find_program(XGETTEXT xgettext REQUIRED)
find_program(MSGCMP msgcmp REQUIRED)
file(GLOB_RECURSE sources RELATIVE ${ROOT} ${ROOT}/src/*.cc ${ROOT}/src/*.h)
list(FILTER sources EXCLUDE REGEX "_(test|fuzz)\\.cc$")
list(SORT sources)
file(MAKE_DIRECTORY ${OUT})
execute_process(
  COMMAND ${XGETTEXT} --language=C++ --from-code=UTF-8 --keyword= --keyword=Tr
          --keyword=TrN:1,2 --keyword=NoopTr --no-location --omit-header -o ${OUT}/telescreen.pot ${sources}
  WORKING_DIRECTORY ${ROOT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed")
endif()
if(NOT EXISTS ${OUT}/telescreen.pot)
  message(FATAL_ERROR "xgettext found no marked strings in src/")
endif()
# msgcmp: each msgid of the .pot must be in the .po with a translation that
# is neither empty nor fuzzy (without --use-fuzzy / --use-untranslated).
execute_process(COMMAND ${MSGCMP} ${ROOT}/po/${LANG}.po ${OUT}/telescreen.pot RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "po/${LANG}.po lacks translations of the strings above "
                      "(update it: see docs/translating.md)")
endif()
