# tests/debug/break-exit.gdb - gdb commands for tests/debug/run (make gdb GDB_BATCH=...).
# Two breakpoints in the VMM that every boot of the test guest reaches: the start
# of the guest's run, then the AMD-V exit handler (the first exit). Each stop
# prints a line "Breakpoint N, <function> (...)" that the test looks for.
break vcpu_run
break svm_on_exit
continue
bt 2
continue
print v->backend->name
kill
