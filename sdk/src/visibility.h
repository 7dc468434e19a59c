/* visibility.h - marks the symbols libbaton exports (the rest stay hidden). */
#ifndef BATON_VISIBILITY_H
#define BATON_VISIBILITY_H
#define BATON_API __attribute__((visibility("default")))
#endif
